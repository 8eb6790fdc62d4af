// The page's wiring: reads the state from the URL, asks the API, and hands the answers to
// the views. Typing searches as you go (debounced); filters, pages and bulletins are
// history entries, so back and forward work and every state has a URL. Keyboard: / jumps
// to the search box, the arrow keys walk the results, Enter opens one, n / p step through
// a bulletin's matches and Escape goes back to the results.

import { get, isAbort } from './api.js';
import { h, replace, debounce } from './dom.js';
import { readState, urlOf, searchParams, withChanges } from './state.js';
import { renderSummary, renderChips, renderHits, renderPager } from './results.js';
import { renderFacets } from './facets.js';
import { renderCharts } from './charts.js';
import { renderBulletin, step } from './bulletin.js';

const $ = (id) => document.getElementById(id);
const input = $('q');
const view = {
  search: $('search-view'),
  bulletin: $('bulletin-view'),
  sidebar: $('facets'),
  chips: $('chips'),
  summary: $('summary'),
  charts: $('charts'),
  results: $('results'),
  pager: $('pager'),
};

let state = readState(location);
// The current history entry was made by typing: more typing replaces it rather than
// adding one entry per pause.
let typing = false;

/** Go to `next`: a new history entry unless `replace`. `entry` is kept with it. */
function go(next, { replace: replaceEntry = false, entry = {} } = {}) {
  rememberScroll();
  const url = urlOf(next);
  if (replaceEntry) history.replaceState(entry, '', url);
  else history.pushState(entry, '', url);
  typing = false;
  state = next;
  show();
  if (next.view === 'bulletin') window.scrollTo(0, 0);
}

function rememberScroll() {
  history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '', location.href);
}

/** The back link of a bulletin: the results it was opened from, else a search for its query. */
function back() {
  if (history.state && history.state.fromSearch) history.back();
  else go(withChanges({ ...state, view: 'search', id: null }, {}));
}

const searchAsYouType = debounce(() => {
  if (input.value === state.q && state.view === 'search') return;
  const next = withChanges({ ...state, view: 'search', id: null }, { q: input.value });
  const url = urlOf(next);
  if (typing) history.replaceState({}, '', url);
  else {
    rememberScroll();
    history.pushState({}, '', url);
  }
  typing = true;
  state = next;
  show();
}, 250);

input.addEventListener('input', searchAsYouType);
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  searchAsYouType.cancel();
  go(withChanges({ ...state, view: 'search', id: null }, { q: input.value }), { replace: typing });
});

window.addEventListener('popstate', () => {
  typing = false;
  state = readState(location);
  input.value = state.q;
  show().then(() => {
    const y = history.state && history.state.scrollY;
    if (typeof y === 'number') window.scrollTo(0, y);
  });
});

// Links the page makes for itself (results, pages, copies) stay in the page.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  const next = readState(url);
  go(next, { entry: { fromSearch: state.view === 'search' && next.view === 'bulletin' } });
});

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target;
  const inField = target instanceof Element && target.matches('input, textarea, select');
  if (e.key === '/' && !inField) {
    e.preventDefault();
    input.focus();
    input.select();
    return;
  }
  if (state.view === 'search' && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && (target === input || target.classList?.contains('hit-link'))) {
    const links = Array.from(view.results.querySelectorAll('.hit-link'));
    if (!links.length) return;
    e.preventDefault();
    const i = links.indexOf(target);
    const j = e.key === 'ArrowDown' ? Math.min(links.length - 1, i + 1) : i - 1;
    if (j < 0) {
      input.focus();
    } else {
      links[j].focus();
      links[j].closest('.hit').scrollIntoView({ block: 'nearest' });
    }
    return;
  }
  if (state.view === 'bulletin' && !inField) {
    if (e.key === 'n' || e.key === 'j') step(1);
    else if (e.key === 'p' || e.key === 'k') step(-1);
    else if (e.key === 'Escape') back();
  }
});

// While an answer is awaited the page says so (aria-busy), for assistive technology and
// for the browser tests, which wait for it to settle.
const main = document.querySelector('main');

async function show() {
  const bulletin = state.view === 'bulletin';
  view.search.hidden = bulletin;
  view.bulletin.hidden = !bulletin;
  main.setAttribute('aria-busy', 'true');
  const asked = state;
  const shown = await (bulletin ? showBulletin(asked) : showSearch(asked));
  if (asked === state && shown !== false) main.removeAttribute('aria-busy');
}

function problem(el, error) {
  replace(el, h('div', { class: 'error', role: 'alert' }, error.message));
}

async function showSearch(asked) {
  document.title = asked.q.trim() ? `${asked.q.trim()} — tongbao` : 'tongbao — search bulletins';
  const params = searchParams(asked);
  params.set('facets', 'true');
  view.results.classList.add('loading');
  renderChips(view.chips, asked, null, go);
  let answer;
  try {
    answer = await get('search', '/api/search', params);
  } catch (error) {
    if (isAbort(error)) return false;
    view.results.classList.remove('loading');
    problem(view.summary, error);
    renderFacets(view.sidebar, null, asked, go, error);
    renderCharts(view.charts, null, asked, go);
    replace(view.results);
    replace(view.pager);
    return;
  }
  if (asked !== state) return false;
  view.results.classList.remove('loading');
  renderSummary(view.summary, answer, asked);
  renderChips(view.chips, asked, answer, go);
  renderFacets(view.sidebar, answer, asked, go, null);
  renderCharts(view.charts, answer, asked, go);
  renderHits(view.results, answer, asked);
  renderPager(view.pager, answer, asked);
}

async function showBulletin(asked) {
  const params = new URLSearchParams();
  if (asked.q.trim()) params.set('q', asked.q);
  replace(view.bulletin, h('p', { class: 'hint' }, 'loading…'));
  let b;
  try {
    b = await get('bulletin', `/api/bulletin/${asked.id}`, params);
  } catch (error) {
    if (isAbort(error)) return false;
    problem(view.bulletin, error);
    return true;
  }
  if (asked !== state) return false;
  document.title = `${b.title || '(untitled)'} — tongbao`;
  renderBulletin(view.bulletin, b, asked, back);
}

// On a phone the filters start folded away under the results' summary.
if (window.matchMedia('(max-width: 760px)').matches) $('filters-box').open = false;
input.value = state.q;
show();
