// Talking to the server's JSON API. Only the newest request of each kind matters: starting
// one aborts the one before, so a slow answer to an old query never replaces a new one.

export class ApiError extends Error {
  constructor(status, message, parameter) {
    super(message);
    this.status = status;
    this.parameter = parameter || null;
  }
}

const inFlight = new Map();

/** GET `path` with `params` (URLSearchParams); `kind` names the slot that newer calls take over. */
export async function get(kind, path, params) {
  inFlight.get(kind)?.abort();
  const controller = new AbortController();
  inFlight.set(kind, controller);
  const qs = params ? params.toString() : '';
  let response;
  try {
    response = await fetch(qs ? `${path}?${qs}` : path, {
      signal: controller.signal,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the tongbao server cannot be reached; is `tongbao serve` still running?');
  } finally {
    if (inFlight.get(kind) === controller) inFlight.delete(kind);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.error || `the server answered ${response.status}`, body?.parameter);
  }
  return body;
}

export function isAbort(e) {
  return e && e.name === 'AbortError';
}
