// One bulletin: its whole clean text with every match of the query marked, and a way to
// step from match to match (buttons, or the n and p keys).

import { h, replace, marked, webAddress, facetLabel, plural } from './dom.js';
import { urlOf } from './state.js';

let marks = [];
let current = -1;
let counter = null;

/** Move to the next (+1) or previous (-1) match; returns false when there is none. */
export function step(direction) {
  if (!marks.length) return false;
  if (current >= 0) marks[current].classList.remove('current');
  current = (current + direction + marks.length) % marks.length;
  const mark = marks[current];
  mark.classList.add('current');
  mark.scrollIntoView({ block: 'center', behavior: 'smooth' });
  if (counter) counter.textContent = `match ${current + 1} of ${marks.length}`;
  return true;
}

function meta(b) {
  const where = b.province ? (b.city ? `${b.province} ${b.city}` : b.province) : 'region unknown';
  return [
    h('time', { datetime: b.date || null }, b.date || 'undated'),
    h('span', { class: 'region' }, where),
    ...b.categories.map((c) => h('span', { class: 'category', title: c }, facetLabel(c))),
  ];
}

/**
 * Show bulletin `b` in `el`. `back` is what the back link does: return to the results the
 * reader came from (history) or open a search for the query.
 */
export function renderBulletin(el, b, state, back) {
  const source = webAddress(b.url);
  const navigation = h('div', { class: 'match-nav', role: 'group', 'aria-label': 'Matches' });
  const text = h('div', { class: 'bulletin-text', lang: 'zh' }, marked(b.text, b.highlights, { mark: { class: 'match' } }));
  const backLink = h('a', { href: urlOf({ ...state, view: 'search', id: null, offset: 0 }), class: 'back', 'data-back': '' }, '← results');
  backLink.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    back();
  });
  replace(el,
    h('nav', { class: 'bulletin-nav' }, backLink),
    h('h1', { class: 'bulletin-title', lang: 'zh' }, b.title && b.title.trim() ? marked(b.title, b.title_highlights, { breaks: b.title_breaks }) : '(untitled)'),
    h('div', { class: 'hit-meta' }, meta(b)),
    h('div', { class: 'bulletin-source' },
      source ? h('a', { href: source, class: 'source', rel: 'noopener noreferrer nofollow', target: '_blank' }, source) : h('span', { class: 'hint' }, 'no source address'),
      h('span', { class: 'path' }, b.path),
      h('span', { class: 'hint' }, ` · ${b.format}, ${b.encoding}`)),
    b.expanded.length ? h('p', { class: 'also' }, `also matched: ${b.expanded.join('、')}`) : null,
    navigation,
    text,
    b.copies.length
      ? h('section', { class: 'copies-list' },
          h('h2', null, `Also published at ${plural(b.copies.length, 'other place', 'other places')}`),
          h('ul', null, b.copies.map((c) => h('li', null,
            h('a', { href: urlOf({ view: 'bulletin', id: c.id, q: state.q }), 'data-nav': '' }, c.title || c.path),
            ' ', h('span', { class: 'path' }, c.path)))))
      : null);

  marks = Array.from(text.querySelectorAll('mark'));
  current = -1;
  if (marks.length) {
    counter = h('span', { class: 'match-count', 'aria-live': 'polite' }, plural(marks.length, 'match', 'matches'));
    const prev = h('button', { type: 'button', title: 'Previous match (p)' }, '↑ previous');
    const next = h('button', { type: 'button', title: 'Next match (n)' }, '↓ next');
    prev.addEventListener('click', () => step(-1));
    next.addEventListener('click', () => step(1));
    replace(navigation, counter, prev, next);
  } else {
    counter = null;
    replace(navigation, h('span', { class: 'hint' }, state.q ? 'The query’s words are not in the text itself (matched by synonym, category or title).' : ''));
  }
}
