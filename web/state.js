// The page's state lives in its URL, with the API's parameter names, so a search can be
// bookmarked, shared and reopened, and back/forward walk through it:
//   /?q=养老诈骗&province=广西&from=2022-06          a search
//   /bulletin/8404adfddddab314?q=养老诈骗              one bulletin, the query's matches marked

export const LIST_KEYS = ['province', 'city', 'category'];
export const ONE_KEYS = ['q', 'from', 'to', 'include_undated', 'sort', 'offset', 'limit'];
export const PAGE_SIZE = 10;

/** The state a location describes. */
export function readState(location) {
  const params = new URLSearchParams(location.search);
  const state = { view: 'search', id: null };
  const bulletin = location.pathname.match(/^\/bulletin\/([0-9a-f]{16})$/);
  if (bulletin) {
    state.view = 'bulletin';
    state.id = bulletin[1];
  }
  for (const key of LIST_KEYS) state[key] = params.getAll(key).filter((v) => v.trim() !== '');
  for (const key of ONE_KEYS) state[key] = params.get(key) || '';
  state.offset = Math.max(0, parseInt(state.offset, 10) || 0);
  return state;
}

/** A fresh search state (the page's home). */
export function emptyState() {
  return readState({ pathname: '/', search: '' });
}

/** Query-string pairs for a search state, as the API takes them. */
export function searchParams(state) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  for (const key of LIST_KEYS) for (const v of state[key]) p.append(key, v);
  for (const key of ['from', 'to', 'include_undated', 'sort', 'limit']) if (state[key]) p.set(key, state[key]);
  if (state.offset) p.set('offset', String(state.offset));
  return p;
}

/** The URL of a state. */
export function urlOf(state) {
  if (state.view === 'bulletin') {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    const qs = p.toString();
    return `/bulletin/${state.id}${qs ? `?${qs}` : ''}`;
  }
  const qs = searchParams(state).toString();
  return qs ? `/?${qs}` : '/';
}

/** A copy of `state` with `changes`; any change to the search goes back to its first page. */
export function withChanges(state, changes) {
  const next = { ...state, ...changes };
  for (const key of LIST_KEYS) next[key] = [...next[key]];
  if (!('offset' in changes)) next.offset = 0;
  return next;
}

/** Add `value` to a list filter, or take it away when it is there. */
export function toggled(state, key, value) {
  const list = state[key].includes(value) ? state[key].filter((v) => v !== value) : [...state[key], value];
  return withChanges(state, { [key]: list });
}

/** Whether the state asks for anything (words or filters). */
export function isBlank(state) {
  return !state.q.trim() && LIST_KEYS.every((k) => state[k].length === 0) && !state.from && !state.to;
}
