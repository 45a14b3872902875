// Small DOM helpers: element building without innerHTML (so API text is never parsed as HTML),
// formatting of times and phases, and the alert region where API errors are shown.

/**
 * Builds an element: h('a', {href: '/x', class: 'btn', onclick: fn}, 'text', child…).
 * Attributes starting with "on" become listeners; `dataset` and `style` objects are merged;
 * `false`, null and undefined attributes and children are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = tag === 'svg' || (attrs && attrs.svg) ?
    document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false || k === 'svg') continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k === 'value' && 'value' in el) el.value = v;
      else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/** An SVG element with attributes. */
export function s(tag, attrs, ...children) {
  return h(tag, { ...attrs, svg: true }, ...children);
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const main = () => document.getElementById('main');

// --- the alert region -----------------------------------------------------------------------

let flashTimer = null;

/** Shows an error (an ApiError, an Error or a text) in the page's alert region. */
export function showError(e, context) {
  const flash = document.getElementById('flash');
  const message = e && e.errors ? e.errors : [{ path: '', message: e && e.message ? e.message : String(e) }];
  mount(flash,
    h('strong', null, context ? `${context}: ` : 'Error: '),
    message.length === 1 ? describe(message[0]) : h('ul', null, message.map((p) => h('li', null, describe(p)))),
    h('button', { type: 'button', class: 'link close', 'aria-label': 'Dismiss', onclick: clearFlash }, '×'));
  flash.className = 'flash error';
  flash.hidden = false;
  clearTimeout(flashTimer);
}

/** Shows a short confirmation that goes away by itself. */
export function showInfo(text) {
  const flash = document.getElementById('flash');
  mount(flash, text);
  flash.className = 'flash info';
  flash.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(clearFlash, 4000);
}

export function clearFlash() {
  const flash = document.getElementById('flash');
  flash.hidden = true;
  flash.replaceChildren();
}

function describe(p) {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** A list of problems to show inside a form. */
export function problems(e) {
  const list = e && e.errors ? e.errors : [{ path: '', message: e && e.message ? e.message : String(e) }];
  return h('ul', { class: 'problems', role: 'alert' }, list.map((p) => h('li', null, describe(p))));
}

// --- formatting ------------------------------------------------------------------------------

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

export function timeEl(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, time(iso)) : '—';
}

export function duration(startIso, endIso) {
  if (!startIso) return '—';
  const ms = (endIso ? Date.parse(endIso) : Date.now()) - Date.parse(startIso);
  if (!(ms >= 0)) return '—';
  if (ms < 1000) return `${ms} ms`;
  const secs = Math.round(ms / 1000);
  if (secs < 60) return `${secs} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min ${secs % 60} s`;
  return `${Math.floor(mins / 60)} h ${mins % 60} min`;
}

/** A coloured badge for a task or run phase. */
export function phaseBadge(phase) {
  return h('span', { class: `phase phase-${phase || 'none'}`, dataset: { phase: phase || '' } }, phase || 'none');
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

/** A button that is disabled while its async action runs; errors go to the alert region. */
export function actionButton(label, action, attrs = {}) {
  const btn = h('button', { type: 'button', ...attrs }, label);
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await action();
    } catch (e) {
      showError(e, label);
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

/** Calls `fn` once `ms` have passed without another call. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Sets the document title and the page heading. */
export function titled(text) {
  document.title = `${text} · Kontroler`;
  return h('h1', null, text);
}

/** The page of a DAG: `/dags/{name}` in the default namespace, else `/dags/{namespace}/{name}`. */
export function dagHref(key) {
  const [ns, name] = key.includes('/') ? key.split('/', 2) : ['default', key];
  return ns === 'default' ? `/dags/${encodeURIComponent(name)}` :
    `/dags/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
}

export function runHref(id) {
  return `/runs/${encodeURIComponent(id)}`;
}

/** One term and its value in a `dl.facts`, kept together when the line wraps. */
export function fact(term, ...value) {
  return h('div', { class: 'fact' }, h('dt', null, term), h('dd', null, ...value));
}
