// The filter sidebar: order, a date range, and counts for the current result set by
// province (→ city), crime category (a tree) and year. A click on a value filters to it;
// a click on an active value removes that filter again.

import { h, replace, leaf, facetLabel } from './dom.js';
import { withChanges } from './state.js';

// Provinces whose cities the reader opened.
const openProvinces = new Set();

/** Which list filter, and which of its values, produced the resolved path `path`. */
function activeSource(state, answer, kind, path) {
  if (!answer) return null;
  if (kind === 'category') {
    const i = answer.filters.categories.indexOf(path);
    return i < 0 ? null : { key: 'category', index: i };
  }
  const i = answer.filters.regions.indexOf(path);
  if (i < 0) return null;
  return i < state.province.length ? { key: 'province', index: i } : { key: 'city', index: i - state.province.length };
}

/** A value with its count; pressing it filters to it, or removes the filter. */
function facetButton(state, answer, go, kind, path, count, label) {
  const active = activeSource(state, answer, kind, path);
  const button = h('button', { type: 'button', class: `facet${active ? ' active' : ''}`, 'aria-pressed': active ? 'true' : 'false', title: facetLabel(path), 'data-facet': kind, 'data-value': path },
    h('span', { class: 'facet-name', lang: 'zh' }, label),
    h('span', { class: 'facet-count' }, count.toLocaleString('en')));
  button.addEventListener('click', () => {
    if (active) {
      go(withChanges(state, { [active.key]: state[active.key].filter((_, j) => j !== active.index) }));
    } else {
      // The API takes `广西壮族自治区`, `广西壮族自治区/南宁市` and `/诈骗/养老诈骗`.
      const key = kind === 'category' ? 'category' : path.split('/').filter(Boolean).length > 1 ? 'city' : 'province';
      const value = kind === 'category' ? path : path.replace(/^\//, '');
      go(withChanges(state, { [key]: [...state[key], value] }));
    }
  });
  return button;
}

function section(title, ...body) {
  return h('section', { class: 'facet-group' }, h('h3', null, title), ...body);
}

function regions(answer, state, go) {
  const { province, city } = answer.facets;
  if (!province.length) return null;
  const items = province.map(([path, count]) => {
    const cities = city.filter(([c]) => c.startsWith(`${path}/`));
    const hasActiveCity = cities.some(([c]) => activeSource(state, answer, 'region', c));
    const open = openProvinces.has(path) || hasActiveCity || activeSource(state, answer, 'region', path) !== null || province.length === 1;
    const row = [facetButton(state, answer, go, 'region', path, count, leaf(path))];
    if (cities.length) {
      const toggle = h('button', { type: 'button', class: 'disclose', 'aria-expanded': open ? 'true' : 'false', 'aria-label': `cities of ${leaf(path)}`, title: 'cities' }, open ? '▾' : '▸');
      toggle.addEventListener('click', () => {
        if (openProvinces.has(path)) openProvinces.delete(path);
        else openProvinces.add(path);
        const list = toggle.closest('li').querySelector('ul');
        const nowOpen = list.hidden;
        list.hidden = !nowOpen;
        toggle.setAttribute('aria-expanded', nowOpen ? 'true' : 'false');
        toggle.textContent = nowOpen ? '▾' : '▸';
      });
      row.unshift(toggle);
    } else {
      row.unshift(h('span', { class: 'disclose-space' }));
    }
    const sub = cities.length
      ? h('ul', { class: 'facet-list nested', hidden: !open }, cities.map(([c, n]) => h('li', null, facetButton(state, answer, go, 'region', c, n, leaf(c)))))
      : null;
    return h('li', null, h('div', { class: 'facet-row' }, row), sub);
  });
  return section('Region', h('ul', { class: 'facet-list' }, items));
}

function categories(answer, state, go) {
  const all = answer.facets.category;
  if (!all.length) return null;
  // Most frequent first, at each level of the tree.
  const byCount = (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]);
  const tops = all.filter(([p]) => p.split('/').filter(Boolean).length === 1).sort(byCount);
  const items = tops.map(([path, count]) => {
    const children = all.filter(([p]) => p.startsWith(`${path}/`)).sort(byCount);
    return h('li', null, facetButton(state, answer, go, 'category', path, count, leaf(path)),
      children.length ? h('ul', { class: 'facet-list nested' }, children.map(([c, n]) => h('li', null, facetButton(state, answer, go, 'category', c, n, leaf(c))))) : null);
  });
  return section('Crime category', h('ul', { class: 'facet-list' }, items));
}

function years(answer, state, go) {
  const list = answer.facets.year;
  if (!list.length) return null;
  const items = list.map(([path, count]) => {
    const year = leaf(path);
    const active = state.from === year && state.to === year;
    const b = h('button', { type: 'button', class: `facet${active ? ' active' : ''}`, 'aria-pressed': active ? 'true' : 'false', 'data-facet': 'year', 'data-value': year },
      h('span', { class: 'facet-name' }, year), h('span', { class: 'facet-count' }, count.toLocaleString('en')));
    b.addEventListener('click', () => go(withChanges(state, active ? { from: '', to: '' } : { from: year, to: year })));
    return h('li', null, b);
  });
  return section('Year', h('ul', { class: 'facet-list years' }, items));
}

/** The date range form and the order; `error` is an API error about `from`/`to`, if any. */
function controls(state, go, error) {
  const field = (name, label) => {
    const bad = error && error.parameter === name;
    return h('label', { class: 'date-field' }, label,
      h('input', { name, type: 'text', value: state[name], placeholder: 'YYYY-MM', inputmode: 'numeric', maxlength: '10', size: '10', 'aria-invalid': bad ? 'true' : null, autocomplete: 'off' }));
  };
  const undated = h('input', { type: 'checkbox', name: 'include_undated', id: 'include-undated', checked: state.include_undated === 'true' });
  const form = h('form', { class: 'dates', id: 'date-range' },
    field('from', 'from'), field('to', 'to'),
    h('label', { class: 'undated-field', for: 'include-undated' }, undated, ' keep undated bulletins'),
    h('button', { type: 'submit' }, 'apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    go(withChanges(state, {
      from: String(data.get('from') || '').trim(),
      to: String(data.get('to') || '').trim(),
      include_undated: data.get('include_undated') ? 'true' : '',
    }));
  });
  const browsing = !state.q.trim();
  // Without words there is no relevance to order by: the list is by date, either way round.
  const sort = h('select', { name: 'sort', id: 'sort' },
    h('option', { value: 'relevance', disabled: browsing, title: browsing ? 'Without words there is no best match; bulletins are listed by date' : null }, 'best match first'),
    h('option', { value: 'date' }, 'newest first'),
    h('option', { value: 'oldest' }, 'oldest first'));
  sort.value = state.sort === 'oldest' ? 'oldest' : browsing || state.sort === 'date' ? 'date' : 'relevance';
  sort.addEventListener('change', () => go(withChanges(state, { sort: sort.value === 'relevance' ? '' : sort.value })));
  const hint = state.include_undated === 'true'
    ? 'YYYY, YYYY-MM or YYYY-MM-DD; undated bulletins are kept.'
    : 'YYYY, YYYY-MM or YYYY-MM-DD; undated bulletins are left out.';
  return [
    section('Order', h('label', { class: 'visually-hidden', for: 'sort' }, 'Order of results'), sort),
    section('Date range', form, h('p', { class: 'hint' }, hint)),
  ];
}

/** The whole sidebar. `answer` may be null (an error, or still loading). */
export function renderFacets(el, answer, state, go, error) {
  const parts = controls(state, go, error);
  if (answer && answer.facets) {
    parts.push(regions(answer, state, go), categories(answer, state, go), years(answer, state, go));
  }
  replace(el, ...parts);
}
