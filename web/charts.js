// Two pictures of the current result set, drawn as SVG in the DOM (no chart library): how
// many matching bulletins were published each month (a click on a bar filters to that
// month) and how many came from each province (a click filters to that province).

import { h, svg, replace, leaf } from './dom.js';
import { withChanges } from './state.js';

const MAX_PROVINCES = 12;

/** Every month from the first to the last given one, with its count (0 for gaps). */
export function monthSeries(months) {
  const counts = new Map(months.map(([m, n]) => [m, n]));
  const keys = [...counts.keys()].sort();
  if (!keys.length) return [];
  const [y0, m0] = keys[0].split('-').map(Number);
  const [y1, m1] = keys[keys.length - 1].split('-').map(Number);
  const span = (y1 - y0) * 12 + (m1 - m0) + 1;
  if (span > 600) return keys.map((k) => [k, counts.get(k)]);
  const out = [];
  for (let i = 0; i < span; i++) {
    const y = y0 + Math.floor((m0 - 1 + i) / 12);
    const m = ((m0 - 1 + i) % 12) + 1;
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push([key, counts.get(key) || 0]);
  }
  return out;
}

/** Make an SVG element act as a button: focusable, labelled, Enter and Space press it. */
function pressable(el, label, action) {
  el.setAttribute('tabindex', '0');
  el.setAttribute('role', 'button');
  el.setAttribute('aria-label', label);
  el.addEventListener('click', action);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  });
  return el;
}

function histogram(months, state, go) {
  const series = monthSeries(months);
  if (!series.length) return null;
  const max = Math.max(...series.map(([, n]) => n));
  // A fixed drawing width (narrower on a phone) keeps text the same size whatever the span;
  // a short span leaves room on the right rather than drawing a few giant bars.
  const width = window.innerWidth < 760 ? 360 : 600;
  const barW = Math.min(28, width / series.length);
  const height = 120;
  const top = 16;
  const axis = height - 18;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart histogram', role: 'group', 'aria-label': 'Matching bulletins per month' });
  // Years are labelled at their Januaries (every year, or every few on long spans), and
  // at the first bar when the first January is far enough away for both labels.
  const firstJanuary = series.findIndex(([m]) => m.endsWith('-01'));
  const labelFirst = firstJanuary < 0 || firstJanuary * barW >= 34;
  const yearStep = series.length > 300 ? 5 : series.length > 144 ? 2 : 1;
  series.forEach(([month, n], i) => {
    const x = i * barW;
    const active = state.from === month && state.to === month;
    const hgt = n ? Math.max(2, Math.round(((axis - top) * n) / max)) : 0;
    const label = `${month}: ${n.toLocaleString('en')} bulletin${n === 1 ? '' : 's'}`;
    const group = svg('g', { class: `bar${active ? ' active' : ''}${n ? '' : ' empty'}`, 'data-month': month });
    // The whole column answers a click, so thin bars are easy to hit.
    group.append(svg('rect', { class: 'hit-area', x, y: top, width: barW, height: axis - top }),
      svg('rect', { class: 'fill', x: x + 0.5, y: axis - hgt, width: Math.max(1, barW - 1), height: hgt }),
      svg('title', null, label));
    if (n && barW >= 16) group.append(svg('text', { class: 'bar-count', x: x + barW / 2, y: axis - hgt - 3, 'text-anchor': 'middle' }, String(n)));
    if (n) {
      pressable(group, `${label}; filter to this month`, () => go(withChanges(state, active ? { from: '', to: '' } : { from: month, to: month })));
    }
    chart.append(group);
    const [y, m] = month.split('-');
    const first = i === 0 && labelFirst;
    if (m === '01' || first) {
      chart.append(svg('line', { class: 'tick', x1: x, x2: x, y1: axis, y2: axis + 4 }));
      if (Number(y) % yearStep === 0 || first) chart.append(svg('text', { class: 'tick-label', x: x + 1, y: height - 3 }, y));
    }
  });
  chart.append(svg('line', { class: 'axis', x1: 0, x2: width, y1: axis, y2: axis }));
  return h('figure', { class: 'chart-box' }, h('figcaption', null, 'Per month', h('span', { class: 'hint' }, ' — click a bar to filter')), chart);
}

function provinces(counts, state, answer, go) {
  const rows = counts.slice(0, MAX_PROVINCES);
  if (rows.length < 2) return null;
  const max = Math.max(...rows.map(([, n]) => n));
  const rowH = 20;
  const labelW = 96;
  const width = 360;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${rows.length * rowH}`, class: 'chart provinces', role: 'group', 'aria-label': 'Matching bulletins per province' });
  rows.forEach(([path, n], i) => {
    const y = i * rowH;
    const active = answer.filters.regions.includes(path);
    const w = Math.max(2, Math.round(((width - labelW - 40) * n) / max));
    const label = `${leaf(path)}: ${n.toLocaleString('en')}`;
    const group = svg('g', { class: `bar${active ? ' active' : ''}`, 'data-province': path },
      svg('rect', { class: 'hit-area', x: 0, y, width, height: rowH }),
      svg('text', { class: 'bar-label', x: labelW - 6, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' }, leaf(path)),
      svg('rect', { class: 'fill', x: labelW, y: y + 3, width: w, height: rowH - 6, rx: 2 }),
      svg('text', { class: 'bar-count', x: labelW + w + 4, y: y + rowH / 2, 'dominant-baseline': 'central' }, n.toLocaleString('en')),
      svg('title', null, label));
    pressable(group, `${label}; filter to this province`, () => {
      if (active) return;
      go(withChanges(state, { province: [...state.province, path.replace(/^\//, '')] }));
    });
    chart.append(group);
  });
  const more = counts.length > rows.length ? h('span', { class: 'hint' }, ` — top ${rows.length} of ${counts.length}`) : null;
  return h('figure', { class: 'chart-box' }, h('figcaption', null, 'Per province', more), chart);
}

/** Both charts for an answer with facets. */
export function renderCharts(el, answer, state, go) {
  const parts = answer && answer.facets ? [histogram(answer.facets.month, state, go), provinces(answer.facets.province, state, answer, go)] : [];
  replace(el, ...parts);
  el.hidden = !parts.some(Boolean);
}
