// Every call the UI makes to the Kontroler REST API (/api/v1) lives here, so that the shape of
// each request and answer is known in one place. The browser authenticates with the HttpOnly
// session cookie set by POST /auth/login; no token is kept in script-readable storage.

const BASE = '/api/v1';

/** An answer of the API that was not a success: its status and its {path, message} problems. */
export class ApiError extends Error {
  constructor(status, errors) {
    super(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ') ||
      `HTTP ${status}`);
    this.status = status;
    this.errors = errors;
  }
}

/** Called on any 401 so that the app can send the user to the login page. */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

async function errorOf(res) {
  let errors = [];
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    if (Array.isArray(body.errors)) {
      errors = body.errors.map((e) => ({ path: e.path || '', message: e.message || String(e) }));
    } else if (body.title || body.message) {
      errors = [{ path: '', message: body.title || body.message }];
    }
  } catch (_) {
    // not JSON: use the text below
  }
  if (errors.length === 0) {
    errors = [{ path: '', message: text.trim() || `${res.status} ${res.statusText}` }];
  }
  return new ApiError(res.status, errors);
}

async function call(method, path, { json, text, contentType, query, signal, quiet401 } = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (text !== undefined) {
    headers['Content-Type'] = contentType || 'application/yaml';
    body = text;
  }
  let res;
  try {
    res = await fetch(BASE + path + queryString(query), {
      method, headers, body, signal, credentials: 'same-origin',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, [{ path: '', message: `The server cannot be reached: ${e.message}` }]);
  }
  if (res.status === 401 && !quiet401) onUnauthorized();
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

/** The `namespace/name` key of a DAG; a bare name is in the default namespace. */
export function dagKey(namespace, name) {
  return `${namespace || 'default'}/${name}`;
}

function dagPath(key) {
  const [ns, name] = key.includes('/') ? key.split('/', 2) : ['default', key];
  return `/dags/${enc(ns)}/${enc(name)}`;
}

// --- accounts -----------------------------------------------------------------------------

export const login = (username, password) =>
  call('POST', '/auth/login', { json: { username, password }, quiet401: true });
export const logout = () => call('POST', '/auth/logout', { quiet401: true });
/** The signed-in user {username, role}, or null when there is no valid session. */
export async function me() {
  try {
    return await call('GET', '/auth/me', { quiet401: true });
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}
/**
 * Whether a session exists — {authenticated, username, role, sso} — answered 200 either way, so
 * that a first page load logs no failed request; `sso` names the single sign-on provider, if any.
 */
export const session = () => call('GET', '/auth/session', { quiet401: true });
/** Begins single sign-on: resolves to the provider's URL to send the browser to. */
export const startSignOn = (next) =>
  call('POST', '/auth/oidc/start', { json: { next }, quiet401: true }).then((a) => a.authorizationUrl);
export const users = () => call('GET', '/users').then((b) => b.items);
export const createUser = (username, password, role) =>
  call('POST', '/users', { json: { username, password, role } });
export const deleteUser = (username) => call('DELETE', `/users/${enc(username)}`);
export const setRole = (username, role) =>
  call('PUT', `/users/${enc(username)}/role`, { json: { role } });
export const changePassword = (username, currentPassword, newPassword) =>
  call('PUT', `/users/${enc(username)}/password`, { json: { currentPassword, newPassword } });

// --- DAGs and DagTasks -------------------------------------------------------------------------

/** A page of DAGs: {items:[{namespace, name, latestVersion, suspended, schedule, tasks}], total}. */
export const listDags = ({ search, limit, offset } = {}) =>
  call('GET', '/dags', { query: { search, limit, offset } });

/** A DAG with spec, versions and graph; `graph.nodes` and `graph.edges [{from, to}]`. */
export async function getDag(key, version) {
  const d = await call('GET', dagPath(key), { query: { version } });
  const graph = d.graph || {};
  d.graph = { nodes: graph.nodes || graph.tasks || [], edges: graph.edges || [] };
  return d;
}
export const suspendDag = (key) => call('POST', `${dagPath(key)}/suspend`);
export const resumeDag = (key) => call('POST', `${dagPath(key)}/resume`);
export const deleteDag = (key) => call('DELETE', dagPath(key));
/** Applies DAG, DagTask and WorkFlow documents (YAML or JSON). */
export const applyDocuments = (text) =>
  call('POST', '/dags', { text, contentType: 'application/yaml' });
/** Validates documents without applying them; rejects with ApiError(400) and its problems. */
export const validateDocuments = (text, signal) =>
  call('POST', '/dags/validate', { text, contentType: 'application/yaml', signal });
export const listDagTasks = () => call('GET', '/dagtasks').then((b) => b.items);
export const getDagTask = (namespace, name) =>
  call('GET', `/dagtasks/${enc(namespace)}/${enc(name)}`);

// --- runs ------------------------------------------------------------------------------------

/** A page of runs, newest first: {items, nextCursor}. */
export const listRuns = ({ dag, phase, cursor, limit } = {}) =>
  call('GET', '/runs', { query: { dag, phase, cursor, limit } }).then(normaliseRunPage);

function normaliseRunPage(page) {
  return { items: (page.items || []).map(normaliseRun), nextCursor: page.nextCursor || null };
}

function normaliseRun(r) {
  const dag = r.dag || (r.dagName && r.dagName.includes('/') ? r.dagName : dagKey(r.namespace, r.dagName));
  return { ...r, dag, tasks: r.tasks || [] };
}

/** Starts a run; `parameters` maps a name to a value or to {fromSecret}. Resolves to {id}. */
export const startRun = (dagName, parameters, name) =>
  call('POST', '/runs', { json: { dagName, parameters, name: name || undefined } });
export const getRun = (id) => call('GET', `/runs/${enc(id)}`).then(normaliseRun);
export const cancelRun = (id) => call('POST', `/runs/${enc(id)}/cancel`);
export const listBackfills = (key) => call('GET', `${dagPath(key)}/backfills`).then((b) => b.items);
export const startBackfill = (key, from, to, maxActive) =>
  call('POST', `${dagPath(key)}/backfill`, { json: { from, to, maxActive } });
export const cancelBackfill = (id) => call('POST', `/backfills/${enc(id)}/cancel`);
export const retryRun = (id) => call('POST', `/runs/${enc(id)}/retry`);
/** Pauses a run: no new task starts until it is resumed (editor). */
export const pauseRun = (id) => call('POST', `/runs/${enc(id)}/pause`);
export const resumeRun = (id) => call('POST', `/runs/${enc(id)}/resume`);
/** Approves or rejects a waiting approval task, with an optional comment (an approver). */
export const approveTask = (id, task, comment) =>
  call('POST', `/runs/${enc(id)}/tasks/${enc(task)}/approve`, { json: { comment } });
export const rejectTask = (id, task, comment) =>
  call('POST', `/runs/${enc(id)}/tasks/${enc(task)}/reject`, { json: { comment } });
/** Runs `task` and every task downstream of it again (editor). */
export const rerunTask = (id, task) => call('POST', `/runs/${enc(id)}/tasks/${enc(task)}/rerun`);
/** A page of a forEach task's instances, by index: {items, total, offset, limit, nextOffset?}. */
export const instances = (id, task, { offset, limit } = {}) =>
  call('GET', `/runs/${enc(id)}/tasks/${enc(task)}/instances`, { query: { offset, limit } });
export const attempts = (id, task) =>
  call('GET', `/runs/${enc(id)}/tasks/${enc(task)}/attempts`).then((b) => b.items || b);

/** Where the stored log of one attempt is read (whole, or by Range) and downloaded. */
export function logUrl(id, task, attempt) {
  return `${BASE}/runs/${enc(id)}/tasks/${enc(task)}/attempts/${attempt}/log`;
}

async function fetchLog(url, headers, signal) {
  const res = await fetch(url, { headers, signal, credentials: 'same-origin' });
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw await errorOf(res);
  return res;
}

/**
 * Reads a stored log; beyond `maxBytes` only its end is read (two Range requests). Resolves to
 * {text, truncated, complete}; a missing log (404) is reported as an ApiError.
 */
export async function readLog(id, task, attempt, { maxBytes = 1024 * 1024, signal } = {}) {
  const url = logUrl(id, task, attempt);
  let res = await fetchLog(url, { Range: `bytes=0-${maxBytes - 1}` }, signal);
  let text = await res.text();
  const total = Number((res.headers.get('Content-Range') || '').split('/')[1]);
  let truncated = false;
  if (res.status === 206 && Number.isFinite(total) && total > maxBytes) {
    res = await fetchLog(url, { Range: `bytes=${total - maxBytes}-` }, signal);
    text = await res.text();
    truncated = true;
  }
  return { text, truncated, complete: res.headers.get('X-Log-Complete') !== 'false' };
}

/**
 * Follows a log while its task runs, from byte `offset`: `onChunk(text)` for every piece, until
 * the server ends the stream (the attempt's log is complete) or `signal` aborts.
 */
export async function followLog(id, task, attempt, onChunk, signal, offset = 0) {
  const res = await fetchLog(`${logUrl(id, task, attempt)}/follow${queryString({ offset: offset || undefined })}`, {}, signal);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    onChunk(decoder.decode(value, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest) onChunk(rest);
}

// --- live events and statistics ---------------------------------------------------------------

/**
 * Subscribes to the server-sent events of task and run changes (of one run when `runId` is
 * given). `handlers.task(event)` and `handlers.run(event)` receive the parsed JSON;
 * `handlers.status(open)` is told when the stream connects or drops (the browser reconnects).
 * Returns a function that closes the stream.
 */
export function subscribe(runId, handlers) {
  const source = new EventSource(BASE + '/events' + queryString({ run: runId }));
  const parse = (fn) => (msg) => {
    let data;
    try {
      data = JSON.parse(msg.data);
    } catch (e) {
      handlers.error?.(new Error(`Unreadable event: ${msg.data}`));
      return;
    }
    fn?.(data);
  };
  source.addEventListener('task', parse(handlers.task));
  source.addEventListener('run', parse(handlers.run));
  source.onopen = () => handlers.status?.(true);
  source.onerror = () => handlers.status?.(false);
  return () => source.close();
}

export const stats = () => call('GET', '/stats');

// --- shared pools -------------------------------------------------------------------------------

/** Every shared pool: {name, slots, defined, inUse, waiting, holders, updatedAt}. */
export const pools = () => call('GET', '/pools').then((b) => b.items);
/** Sets a pool's slots (admins); answers the PoolSlotsSet that was published. */
export const setPoolSlots = (name, slots) => call('PUT', `/pools/${enc(name)}`, { json: { slots } });
