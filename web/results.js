// The result list: a summary of the counts, the active filters as chips, one card per hit
// (title, date, region, categories, how it matched, passages with highlights, source link,
// other places it was published) and the pager.

import { h, replace, marked, webAddress, facetLabel, leaf, plural } from './dom.js';
import { urlOf, withChanges, PAGE_SIZE } from './state.js';

// How a hit matched (the API's `match`), as a badge. `literal`: what was typed, as typed;
// `words`: the typed words, some apart (电信…诈骗 for 电信诈骗).
const KINDS = {
  literal: ['as typed', 'The bulletin contains what you typed, as typed.'],
  words: ['words apart', 'The bulletin has the words you typed, but not all of them together as typed.'],
  phrase: ['exact phrase', 'The bulletin contains the phrase as typed.'],
  synonym: ['synonym', 'Found through a synonym: the bulletin says it in other words.'],
  category: ['category', 'Classified under a crime category your words name; the words themselves are not in it.'],
  partial: ['partial', 'Matches only part of the query (shown after every full match).'],
};

export function matchBadge(kind) {
  if (!kind) return null;
  const [label, why] = KINDS[kind] || [kind, ''];
  return h('span', { class: `badge match-${kind in KINDS ? kind : 'other'}`, title: why }, label);
}

/** The line that says what was found. */
export function renderSummary(el, answer, state) {
  const t = answer.totals || {};
  const parts = [];
  if (!answer.query.trim()) {
    parts.push(`${plural(answer.total, 'bulletin', 'bulletins')}${state.province.length || state.city.length || state.category.length || state.from || state.to ? ' pass the filters' : ' in the index'}, ${state.sort === 'oldest' ? 'oldest' : 'newest'} first`);
  } else if (answer.total === 0 && t.partial > 0) {
    parts.push(`No bulletin has every word; ${plural(t.partial, 'bulletin matches', 'bulletins match')} part of the query`);
  } else if (answer.total === 0) {
    parts.push(`No bulletin matches “${answer.query}”`);
  } else {
    parts.push(plural(answer.total, 'bulletin matches', 'bulletins match'));
    if (t.expanded > 0 || t.words > 0) {
      const split = [`${t.literal.toLocaleString('en')} contain it as typed`];
      if (t.words > 0) split.push(`${t.words.toLocaleString('en')} have its words apart`);
      if (t.expanded > 0) split.push(`${t.expanded.toLocaleString('en')} more through synonyms or categories`);
      parts.push(split.join(', '));
    }
    if (t.partial > 0 && answer.hits.some((hit) => hit.partial)) parts.push(`${t.partial.toLocaleString('en')} more match part of it`);
  }
  if (t.undated_left_out) parts.push(`${plural(t.undated_left_out, 'undated bulletin', 'undated bulletins')} left out by the date filter`);
  const line = [h('span', { class: 'counts' }, parts.join(' · '))];
  if (answer.hits.length) {
    line.push(h('span', { class: 'showing' }, ` · showing ${answer.hits[0].rank}–${answer.hits[answer.hits.length - 1].rank}`));
  }
  const matched = answer.expanded.filter((e) => answer.hits.some((hit) => (hit.expanded || []).includes(e)));
  const also = matched.length ? matched : answer.hits.length ? [] : answer.expanded;
  if (also.length) line.push(h('div', { class: 'also' }, `${matched.length ? 'also matched' : 'also searched'}: ${also.join('、')}`));
  if (answer.truncated) line.push(h('div', { class: 'warning' }, 'The query was too long; only part of it was used.'));
  replace(el, ...line);
}

/** The active filters as chips; each chip removes its filter. */
export function renderChips(el, state, answer, go) {
  const resolved = answer ? answer.filters : null;
  const chips = [];
  const chip = (label, value) =>
    h('button', { type: 'button', class: 'chip', 'data-remove': '', title: `Remove this filter`, 'aria-label': `Remove filter ${label} ${value}` },
      h('span', { class: 'chip-kind' }, label), ' ', value, h('span', { class: 'chip-x', 'aria-hidden': 'true' }, ' ✕'));
  const add = (key, label, shown) => {
    state[key].forEach((value, i) => {
      const b = chip(label, shown(value, i));
      b.addEventListener('click', () => go(withChanges(state, { [key]: state[key].filter((_, j) => j !== i) })));
      chips.push(b);
    });
  };
  // Show what the server made of a short name (桂 → 广西壮族自治区).
  const resolvedRegion = (i) => (resolved && resolved.regions[i] ? facetLabel(resolved.regions[i]) : null);
  add('province', 'province', (v, i) => resolvedRegion(i) || v);
  add('city', 'city', (v, i) => resolvedRegion(state.province.length + i) || v);
  add('category', 'category', (v, i) => (resolved && resolved.categories[i] ? facetLabel(resolved.categories[i]) : v));
  if (state.from || state.to) {
    const b = chip('date', `${state.from || '…'} – ${state.to || '…'}`);
    b.addEventListener('click', () => go(withChanges(state, { from: '', to: '' })));
    chips.push(b);
  }
  if (chips.length > 1) {
    const clear = h('button', { type: 'button', class: 'chip chip-clear' }, 'clear all');
    clear.addEventListener('click', () => go(withChanges(state, { province: [], city: [], category: [], from: '', to: '' })));
    chips.push(clear);
  }
  replace(el, ...chips);
  el.hidden = chips.length === 0;
}

function region(hit) {
  if (!hit.province) return 'region unknown';
  return hit.city ? `${hit.province} ${hit.city}` : hit.province;
}

function fileName(path) {
  const parts = String(path).split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** One result card. */
function card(hit, state, breaks) {
  const link = urlOf({ view: 'bulletin', id: hit.id, q: state.q });
  const title = hit.title && hit.title.trim() ? marked(hit.title, hit.title_highlights, { breaks }) : '(untitled)';
  const meta = [
    h('time', { datetime: hit.date || null }, hit.date || 'undated'),
    h('span', { class: 'region' }, region(hit)),
    ...hit.categories.map((c) => h('span', { class: 'category', title: c }, leaf(c))),
    matchBadge(hit.match),
  ];
  const source = webAddress(hit.url);
  const copies = hit.duplicates || [];
  return h('li', { class: 'hit', 'data-id': hit.id },
    h('h2', { class: 'hit-title', lang: 'zh' }, h('a', { href: link, class: 'hit-link', 'data-nav': '' }, title)),
    h('div', { class: 'hit-meta' }, meta),
    h('div', { class: 'passages', lang: 'zh' }, hit.passages.map((p) => h('p', { class: 'passage' }, marked(p.text, p.highlights)))),
    h('div', { class: 'hit-foot' },
      source ? h('a', { href: source, class: 'source', rel: 'noopener noreferrer nofollow', target: '_blank' }, `source: ${new URL(source).host}`) : null,
      h('span', { class: 'path', title: hit.path }, fileName(hit.path)),
      copies.length
        ? h('details', { class: 'copies' },
            h('summary', null, `also published at ${plural(copies.length, 'other place', 'other places')}`),
            h('ul', null, copies.map((p) => h('li', { class: 'path' }, p))))
        : null));
}

/** The cards of a page of hits. */
export function renderHits(el, answer, state) {
  replace(el, answer.hits.map((hit) => card(hit, state, (answer.title_breaks || {})[hit.id])));
}

/** Previous / next page links. */
export function renderPager(el, answer, state) {
  const limit = parseInt(state.limit, 10) || PAGE_SIZE;
  const shown = answer.total + (answer.totals?.partial || 0);
  const pages = Math.max(1, Math.ceil(Math.min(shown, 10000 + limit) / limit));
  const page = Math.floor(state.offset / limit) + 1;
  if (pages <= 1 && state.offset === 0) {
    replace(el);
    return;
  }
  const to = (offset) => urlOf(withChanges(state, { offset }));
  replace(el,
    page > 1 ? h('a', { href: to(Math.max(0, state.offset - limit)), 'data-nav': '', rel: 'prev', class: 'page-link' }, '← previous') : h('span', { class: 'page-link disabled' }, '← previous'),
    h('span', { class: 'page-no' }, `page ${page} of ${pages}`),
    page < pages && answer.hits.length === limit ? h('a', { href: to(state.offset + limit), 'data-nav': '', rel: 'next', class: 'page-link' }, 'next →') : h('span', { class: 'page-link disabled' }, 'next →'));
}
