// The search page in a real browser: Debian's Chromium driven by Playwright (playwright-core,
// no downloaded browser). A fresh index of corpus-samples plus hostile bulletins is served
// by the tongbao binary under test (TONGBAO_BIN); each test works the page as a reader
// would and saves screenshots under target/browser-tests/ (TONGBAO_BROWSER_OUT).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.TONGBAO_BIN || path.join(ROOT, 'target', 'release', 'tongbao');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = process.env.TONGBAO_BROWSER_OUT || path.join(ROOT, 'target', 'browser-tests');
// Without the background-networking flags Chromium keeps calling Google's hosts, which a
// closed network refuses many times a second.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

let tmp;
let server;
let base;
let context;

/** The hostile and republished bulletins added to corpus-samples. */
function writeCorpus(docs) {
  fs.mkdirSync(path.join(docs, 'mirror'), { recursive: true });
  for (const name of fs.readdirSync(path.join(ROOT, 'corpus-samples'))) {
    fs.copyFileSync(path.join(ROOT, 'corpus-samples', name), path.join(docs, name));
  }
  fs.writeFileSync(path.join(docs, 'xss-title.md'), [
    '---',
    'title: "<img src=x onerror=alert(1)>警方通报跨境赌博案"',
    'date: 2023-03-02',
    'url: "javascript:alert(3)"',
    '---',
    '3月2日，某市公安局通报一起跨境赌博案件，抓获犯罪嫌疑人12名，冻结涉赌资金一千余万元。',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(docs, 'xss-body.txt'), [
    '某市警方通报网络赌博案件侦破情况',
    '',
    '2023年4月5日，某市公安局召开新闻发布会，通报网络赌博案件。涉案网站在页面中嵌入<script>alert(document.cookie)</script>代码诱导用户下载赌博软件，民警提醒"><svg onload=alert(4)>此类链接切勿点击。',
    '',
  ].join('\n'));
  const copy = '---\ntitle: 荔湾警方捣毁一个制售假酒窝点\ndate: 2024-02-06\nprovince: 广东\ncity: 广州\n---\n'
    + '2月6日，广州市公安局荔湾区分局通报，民警在城中村一出租屋内捣毁一个制售假酒窝点，现场查获假冒白酒六百余瓶。\n\n'
    + '经查，犯罪嫌疑人从网上购买空酒瓶和包装盒，灌装廉价散酒后冒充名酒销售。目前，犯罪嫌疑人已被依法刑事拘留。\n';
  fs.writeFileSync(path.join(docs, 'liwan-jiajiu-2024-02.md'), copy);
  fs.writeFileSync(path.join(docs, 'mirror', 'liwan-jiajiu-2024-02-copy.md'), copy);
}

function startServer(index) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['--index', index, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`tongbao serve exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      const url = line.split(/\s+/).find((w) => w.startsWith('http://'));
      if (url) resolve({ child, url: url.replace(/\/$/, '') });
      else reject(new Error(`no URL in ${line}`));
    });
  });
}

before(async () => {
  assert.ok(fs.existsSync(BIN), `no tongbao binary at ${BIN}; build it or set TONGBAO_BIN`);
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}; apt-get install -y chromium`);
  fs.mkdirSync(OUT, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tongbao-browser-'));
  const docs = path.join(tmp, 'docs');
  writeCorpus(docs);
  const index = path.join(tmp, 'ix');
  execFileSync(BIN, ['--index', index, '-q', 'index', docs], { stdio: 'inherit' });
  const started = await startServer(index);
  server = started.child;
  base = started.url;
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
});

after(async () => {
  await context?.close();
  server?.removeAllListeners('exit');
  server?.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page that records dialogs (an XSS would open one) and script or policy errors. */
async function open(url = '/') {
  const page = await context.newPage();
  page.dialogs = [];
  page.problems = [];
  page.on('dialog', (d) => {
    page.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 400 the test asked for shows up as a failed resource; anything else is a problem
    // (a CSP violation, a script error).
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(m.text());
  });
  await page.goto(base + url);
  await settled(page);
  return page;
}

/** Wait until the page has shown the answer it was waiting for. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('main').hasAttribute('aria-busy'), null, { timeout: 15000 });
}

async function done(page, shot) {
  if (shot) await page.screenshot({ path: path.join(OUT, shot), fullPage: false });
  assert.deepEqual(page.problems, [], 'no script errors or policy violations');
  assert.deepEqual(page.dialogs, [], 'no dialog opened');
  await page.close();
}

const hits = (page) => page.locator('#results .hit');
const param = (page, key) => new URL(page.url()).searchParams.getAll(key);

test('typing a query searches as you type, marks the matches and puts the query in the URL', async () => {
  const page = await open('/');
  assert.match(await page.locator('#summary').textContent(), /in the index, newest first/);
  await page.locator('#q').click();
  await page.keyboard.type('养老诈骗', { delay: 40 });
  await page.waitForURL((u) => u.searchParams.get('q') === '养老诈骗');
  await settled(page);
  assert.ok((await hits(page).count()) >= 5);
  const marks = await page.locator('#results .passage mark').allTextContents();
  assert.ok(marks.length >= 5, `passages have highlights: ${marks}`);
  for (const m of marks) assert.ok(['养老诈骗', '養老詐騙'].includes(m), m);
  assert.ok((await page.locator('#results .hit-title mark').count()) >= 3, 'titles are marked too');
  assert.match(await page.locator('#summary').textContent(), /bulletins match/);
  assert.ok(await page.locator('#results .badge.match-literal').count() >= 1, 'match kind shown');
  await done(page, 'search.png');
});

test('a province facet filters, shows a removable chip, and back/forward walk the filters', async () => {
  const page = await open(`/?q=${encodeURIComponent('诈骗')}`);
  const total = await hits(page).count();
  const guangxi = page.locator('button[data-facet="region"][data-value="/广西壮族自治区"]');
  await guangxi.click();
  await page.waitForURL((u) => u.searchParams.get('province') === '广西壮族自治区');
  await settled(page);
  const regions = await page.locator('#results .hit .region').allTextContents();
  assert.ok(regions.length >= 1 && regions.length <= total);
  for (const r of regions) assert.ok(r.startsWith('广西壮族自治区'), r);
  assert.equal(await guangxi.getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('#chips').textContent(), /province 广西壮族自治区/);
  await done(page, null);

  // The chip removes the filter; back brings it again, forward takes it away.
  const again = await open(`/?q=${encodeURIComponent('诈骗')}&province=${encodeURIComponent('桂')}`);
  assert.match(await again.locator('#chips').textContent(), /广西壮族自治区/, 'a short name shows resolved');
  await again.locator('#chips .chip').first().click();
  await again.waitForURL((u) => !u.searchParams.has('province'));
  await settled(again);
  assert.equal(await again.locator('#chips').isVisible(), false);
  await again.goBack();
  await settled(again);
  assert.deepEqual(param(again, 'province'), ['桂']);
  assert.equal(await again.locator('#chips .chip').count(), 1);
  await again.goForward();
  await settled(again);
  assert.deepEqual(param(again, 'province'), []);
  await done(again, null);
});

test('a histogram bar filters to its month, and the province chart to its province', async () => {
  const page = await open(`/?q=${encodeURIComponent('公安')}`);
  const bar = page.locator('.histogram .bar[role="button"]').first();
  const month = await bar.getAttribute('data-month');
  await bar.click();
  await page.waitForURL((u) => u.searchParams.get('from') === month && u.searchParams.get('to') === month);
  await settled(page);
  const dates = await page.locator('#results .hit time').allTextContents();
  assert.ok(dates.length >= 1);
  for (const d of dates) assert.ok(d.startsWith(month), `${d} is in ${month}`);
  assert.equal(await page.locator(`.histogram .bar.active[data-month="${month}"]`).count(), 1);
  await page.screenshot({ path: path.join(OUT, 'histogram.png') });
  await done(page, null);

  const p2 = await open(`/?q=${encodeURIComponent('公安')}`);
  const row = p2.locator('.chart.provinces .bar').first();
  const province = (await row.getAttribute('data-province')).replace(/^\//, '');
  await row.click();
  await p2.waitForURL((u) => u.searchParams.get('province') === province);
  await settled(p2);
  for (const r of await p2.locator('#results .hit .region').allTextContents()) assert.ok(r.startsWith(province), r);
  await done(p2, null);
});

test('by keyboard: / focuses the search, arrows walk the results, Enter opens one; n/p step through its matches; back returns', async () => {
  const page = await open(`/?q=${encodeURIComponent('养老诈骗')}`);
  const firstTitle = await page.locator('#results .hit-title').first().textContent();
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'hit-link');
  const chosen = await page.evaluate(() => document.activeElement.textContent);
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), firstTitle);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/bulletin\/[0-9a-f]{16}\?q=/);
  await settled(page);
  assert.equal(await page.locator('.bulletin-title').textContent(), chosen);
  const marks = await page.locator('.bulletin-text mark').count();
  assert.ok(marks >= 2, `the whole text has every match marked (${marks})`);
  assert.equal(await page.locator('.match-count').textContent(), `${marks} matches`);
  await page.keyboard.press('n');
  assert.equal(await page.locator('.match-count').textContent(), `match 1 of ${marks}`);
  await page.keyboard.press('n');
  assert.equal(await page.locator('.match-count').textContent(), `match 2 of ${marks}`);
  assert.equal(await page.locator('.bulletin-text mark.current').count(), 1);
  await page.getByRole('button', { name: /previous/ }).click();
  assert.equal(await page.locator('.match-count').textContent(), `match 1 of ${marks}`);
  await page.screenshot({ path: path.join(OUT, 'bulletin.png') });
  await page.goBack();
  await settled(page);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(param(page, 'q')[0], '养老诈骗');
  assert.equal(await page.locator('#results .hit-title').first().textContent(), firstTitle);
  assert.equal(await page.locator('#q').inputValue(), '养老诈骗');
  // A republished bulletin says where else it appeared.
  await page.locator('#q').fill('假酒窝点');
  await page.keyboard.press('Enter');
  await settled(page);
  const copies = page.locator('#results .hit details.copies');
  assert.match(await copies.locator('summary').textContent(), /also published at 1 other place/);
  await copies.locator('summary').click();
  assert.match(await copies.locator('li').textContent(), /liwan-jiajiu-2024-02/);
  await done(page, null);
});

test('hostile bulletins render as text: no markup, no script, no javascript: link, no dialog', async () => {
  const page = await open(`/?q=${encodeURIComponent('跨境赌博')}`);
  const title = page.locator('#results .hit-title').filter({ hasText: '警方通报跨境赌博案' });
  assert.equal(await title.textContent(), '<img src=x onerror=alert(1)>警方通报跨境赌博案');
  assert.equal(await page.locator('#results img, #results script, #results svg').count(), 0);
  const card = page.locator('#results .hit').filter({ hasText: '警方通报跨境赌博案' });
  assert.equal(await card.locator('a.source').count(), 0, 'a javascript: address is not a link');
  const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of hrefs) assert.ok(!/^\s*javascript:/i.test(href || ''), href);

  await page.locator('#q').fill('赌博软件');
  await page.keyboard.press('Enter');
  await settled(page);
  const passage = await page.locator('#results .passage').allTextContents();
  assert.ok(passage.some((p) => p.includes('<script>alert(document.cookie)</script>')), passage.join('\n'));
  assert.ok(passage.some((p) => p.includes('"><svg onload=alert(4)>')), passage.join('\n'));
  assert.equal(await page.locator('#results script, #results svg, #results img').count(), 0);
  await page.screenshot({ path: path.join(OUT, 'hostile.png') });
  await page.locator('#results .hit-link').first().click();
  await settled(page);
  assert.match(await page.locator('.bulletin-text').textContent(), /<script>alert\(document\.cookie\)<\/script>/);
  assert.equal(await page.locator('#bulletin-view script, #bulletin-view img, #bulletin-view svg').count(), 0);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.cookie), '');
  await done(page, null);
});

test('a shared URL opens its search; a bad date is named beside its field', async () => {
  const page = await open(`/?q=${encodeURIComponent('养老诈骗')}&province=${encodeURIComponent('广西')}`);
  assert.equal(await page.locator('#q').inputValue(), '养老诈骗');
  assert.match(await page.locator('#chips').textContent(), /广西壮族自治区/);
  for (const r of await page.locator('#results .hit .region').allTextContents()) assert.ok(r.startsWith('广西壮族自治区'), r);
  await page.locator('input[name="from"]').fill('2023-02-30');
  await page.getByRole('button', { name: 'apply' }).click();
  await settled(page);
  assert.equal(param(page, 'from')[0], '2023-02-30');
  assert.match(await page.locator('#summary .error').textContent(), /cannot read date "2023-02-30"/);
  assert.equal(await page.locator('input[name="from"]').getAttribute('aria-invalid'), 'true');
  await done(page, null);
});

test('the order can run oldest first, and a date range can keep the undated bulletins', async () => {
  const page = await open(`/?q=${encodeURIComponent('电动车')}&from=2018`);
  assert.match(await page.locator('#summary').textContent(), /undated bulletins? left out by the date filter/);
  assert.ok(!(await page.locator('#results .hit time').allTextContents()).includes('undated'));
  await page.locator('#include-undated').check();
  await page.getByRole('button', { name: 'apply' }).click();
  await settled(page);
  assert.deepEqual(param(page, 'include_undated'), ['true']);
  assert.doesNotMatch(await page.locator('#summary').textContent(), /left out/);
  assert.ok((await page.locator('#results .hit time').allTextContents()).includes('undated'), 'the undated bulletin is listed');
  assert.ok(await page.locator('#include-undated').isChecked(), 'the box stays ticked on the new page');

  await page.locator('#sort').selectOption('oldest');
  await settled(page);
  assert.deepEqual(param(page, 'sort'), ['oldest']);
  const dates = (await page.locator('#results .hit time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')))).filter(Boolean);
  assert.ok(dates.length >= 2, `dated hits: ${dates}`);
  assert.deepEqual(dates, [...dates].sort(), 'dated hits run oldest first');

  // Without words the list is by date either way; oldest first is offered, best match is not.
  await page.locator('#q').fill('');
  await page.waitForURL((u) => !u.searchParams.get('q'));
  await settled(page);
  assert.match(await page.locator('#summary').textContent(), /oldest first/);
  assert.ok(await page.locator('#sort option[value="relevance"]').isDisabled());
  const all = (await page.locator('#results .hit time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')))).filter(Boolean);
  assert.deepEqual(all, [...all].sort());
  await done(page, null);
});

test('on a phone: one column, filters folded away, nothing wider than the screen, titles keep words whole', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  page.problems = [];
  page.dialogs = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  await page.goto(`${base}/?q=${encodeURIComponent('养老诈骗')}`);
  await settled(page);
  assert.equal(await page.locator('#filters-box').getAttribute('open'), null);
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth} > ${innerWidth}`);
  const style = await page.locator('.hit-title').first().evaluate((el) => {
    const s = getComputedStyle(el);
    return [s.wordBreak, s.lineBreak];
  });
  assert.deepEqual(style, ['keep-all', 'strict']);
  // Word starts from the server (jieba, as the index cuts) are the only places a title may
  // break: 延边州公安局通报… has no space or punctuation to break at otherwise, and the
  // browser's own segmenter would cut 养老诈骗 and 延边州 apart.
  const title = page.locator('.hit-title').filter({ hasText: '延边州公安局通报打击整治养老诈骗专项行动首月战果' });
  const pieces = await title.locator('a').evaluate((a) => {
    const walk = document.createTreeWalker(a, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    const parts = [''];
    while (walk.nextNode()) {
      const n = walk.currentNode;
      if (n.nodeType === Node.ELEMENT_NODE && n.tagName === 'WBR') parts.push('');
      else if (n.nodeType === Node.TEXT_NODE) parts[parts.length - 1] += n.data;
    }
    return parts;
  });
  assert.ok(pieces.length >= 5, `break points between words: ${pieces.join('|')}`);
  for (const word of ['延边州', '公安局', '养老诈骗', '战果']) {
    assert.ok(!pieces.some((p, i) => i + 1 < pieces.length && (p + pieces[i + 1]).includes(word) && !p.includes(word) && !pieces[i + 1].includes(word)),
      `${word} is split at a break point: ${pieces.join('|')}`);
  }
  // On the phone the title wraps: at a break point, so each line ends with a whole piece.
  const lines = await title.locator('a').evaluate((a) => Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a.parentElement).lineHeight)));
  assert.ok(lines >= 2, `the title wraps on a phone (${lines} lines)`);
  await page.screenshot({ path: path.join(OUT, 'phone.png'), fullPage: false });
  await page.locator('#filters-box summary').click();
  assert.ok(await page.locator('button[data-facet="region"]').first().isVisible());
  await done(page, null);
});
