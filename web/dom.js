// Building the page's elements. Bulletin text is untrusted: every string that reaches the
// page goes in as a text node (textContent), never as markup, and links are made only for
// http(s) addresses. Nothing in these modules parses HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Attributes a caller may set. Event handlers, inline styles and URLs other than through
// `href` (checked below) are not among them.
const ATTRIBUTES = new Set([
  'class', 'id', 'role', 'title', 'type', 'name', 'value', 'placeholder', 'tabindex', 'hidden',
  'for', 'lang', 'datetime', 'rel', 'target', 'open', 'disabled', 'autocomplete', 'inputmode',
  'maxlength', 'size', 'checked', 'viewBox', 'width', 'height', 'x', 'y', 'rx', 'x1', 'x2', 'y1', 'y2',
  'text-anchor', 'dominant-baseline', 'preserveAspectRatio', 'focusable',
]);

function setAttributes(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'href') {
      // Links within this site, or to a web address; never a script or data URL.
      const local = typeof value === 'string' && value.startsWith('/') && !value.startsWith('//');
      const safe = local ? value : webAddress(value);
      if (!safe) throw new Error('not a link this page makes');
      el.setAttribute('href', safe);
    } else if (key.startsWith('aria-') || key.startsWith('data-') || ATTRIBUTES.has(key)) {
      el.setAttribute(key, value === true ? '' : String(value));
    } else {
      throw new Error(`attribute ${key} is not allowed`);
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: `h('a', {href: '/x', class: 'y'}, 'text', otherNode)`. Strings become text. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  return append(el, children);
}

/** An SVG element, with the same rules. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  return append(el, children);
}

/** Remove every child of `el` and put `children` in their place. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** `chars[from..to]` as text, with a <wbr> before every offset in `breaks` past `after`. */
function pieces(chars, from, to, breaks, after = 0) {
  const out = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (i > after && breaks.has(i)) {
      if (i > start) out.push(chars.slice(start, i).join(''));
      out.push(document.createElement('wbr'));
      start = i;
    }
  }
  if (to > start) out.push(chars.slice(start, to).join(''));
  return out;
}

/**
 * Text with the character ranges `spans` ([start, end) in Unicode code points, as the
 * API counts) wrapped in <mark> (with `options.mark` as its attributes). Returns a
 * fragment of text nodes and marks.
 *
 * Chinese has no spaces between words. Titles are set with `word-break: keep-all`, which
 * breaks lines only at spaces and punctuation; `options.breaks` (the offsets where the
 * title's words start, which the server finds with the index's own segmenter) become
 * <wbr> break points, so a long title wraps between words, never inside one.
 */
export function marked(text, spans, options = {}) {
  const chars = Array.from(text || '');
  const breaks = new Set(options.breaks || []);
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of spans || []) {
    const s = Math.min(Math.max(start, at), chars.length);
    const e = Math.min(end, chars.length);
    if (e <= s) continue;
    append(out, pieces(chars, at, s, breaks));
    // A break where the mark starts goes before it, not inside.
    if (s > 0 && breaks.has(s)) out.append(document.createElement('wbr'));
    out.append(h('mark', options.mark || null, pieces(chars, s, e, breaks, s)));
    at = e;
  }
  append(out, pieces(chars, at, chars.length, breaks));
  return out;
}

/** The address if it is an absolute http(s) URL, else null (no javascript:, data:, …). */
export function webAddress(url) {
  if (typeof url !== 'string' || url.length > 2048) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** `/广西壮族自治区/南宁市` → `广西壮族自治区 › 南宁市`, for people. */
export function facetLabel(path) {
  return String(path).replace(/^\//, '').split('/').join(' › ');
}

/** The last part of a facet path. */
export function leaf(path) {
  const parts = String(path).split('/').filter(Boolean);
  return parts[parts.length - 1] || String(path);
}

/** Call `f` once `ms` have passed without another call. */
export function debounce(f, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

export function plural(n, one, many) {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
