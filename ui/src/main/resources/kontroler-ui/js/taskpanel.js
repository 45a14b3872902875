// The panel of one task of a run: why it is in its phase (for a skipped task, its condition or
// its trigger rule), its outputs, its attempts with phases and exit codes, and the log of the
// chosen attempt: followed live while the attempt runs, read from the store once it has ended.

import * as api from './api.js';
import { actionButton, duration, h, mount, phaseBadge, problems, timeEl } from './dom.js';
import { skipKind } from './graph.js';

const ACTIVE = new Set(['Queued', 'Running']);
const MAX_SHOWN = 2 * 1024 * 1024;

/**
 * Opens the panel of `task` of run `runId`. `options.extra(el)` may fill a part of its own (a
 * fan-out task's instances, a sub-DAG task's child run) and return {changed, close};
 * `options.onRerun` adds the "Re-run from here" action.
 */
export function openTaskPanel(panel, runId, task, options = {}) {
  let current = { ...task };
  let attempts = [];
  let shownAttempt = null;
  let controller = null;
  let following = false;
  let closed = false;
  let reloadTimer = null;

  const badge = h('span', { id: 'task-panel-phase' }, phaseBadge(current.phase));
  const reasonEl = h('div', { id: 'task-panel-reason' });
  const outputsEl = h('div', { id: 'task-outputs' });
  const drawState = () => {
    const skip = skipKind(current);
    mount(reasonEl, current.message ? h('p', {
      class: skip ? `skip-reason skipped-by-${skip}` : 'message',
      dataset: skip ? { skip } : {},
    }, skip === 'condition' ? 'Skipped: its condition was false. ' : skip === 'trigger' ? 'Skipped by its trigger rule. ' : null,
    current.message) : null);
    const outputs = Object.entries(current.outputs || {});
    mount(outputsEl, outputs.length === 0 ?
      h('p', { class: 'muted' }, current.phase === 'Succeeded' ? 'No outputs.' : 'Outputs appear once the task succeeds.') :
      h('dl', { class: 'outputs' }, outputs.map(([name, value]) => [
        h('dt', null, h('code', null, name)),
        h('dd', { dataset: { output: name } }, value === '' ? h('span', { class: 'muted' }, '(empty)') : h('pre', { class: 'code' }, value)),
      ])));
  };
  drawState();
  const attemptsEl = h('div', { id: 'task-attempts' }, h('p', { class: 'muted' }, 'Loading attempts…'));
  const logStatus = h('p', { class: 'muted', id: 'log-status', 'aria-live': 'polite' });
  const logEl = h('pre', { class: 'log', id: 'task-log', tabindex: '0', 'aria-label': 'Task log' });
  const download = h('a', { class: 'button', id: 'log-download', hidden: true }, 'Download log');
  const extraEl = h('div', { id: 'task-panel-extra' });
  const extra = options.extra ? options.extra(extraEl) : null;
  const rerun = options.onRerun ? actionButton('Re-run from here', async () => {
    if (!confirm(`Run ${current.name} and every task downstream of it again?`)) return;
    await options.onRerun(current.name);
  }, { id: 'rerun-task' }) : null;
  mount(panel,
    h('div', { class: 'panel-head' }, h('h2', null, current.name), badge, rerun),
    reasonEl,
    extraEl,
    h('h3', null, 'Outputs'), outputsEl,
    h('h3', null, 'Attempts'), attemptsEl,
    h('div', { class: 'log-head' }, h('h3', { id: 'log-title' }, 'Log'), download),
    logStatus, logEl);

  const stopLog = () => {
    controller?.abort();
    controller = null;
    following = false;
  };

  const appendLog = (text) => {
    const atBottom = logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 30;
    logEl.append(text);
    if (logEl.textContent.length > MAX_SHOWN) {
      logEl.textContent = logEl.textContent.slice(-MAX_SHOWN);
    }
    if (atBottom) logEl.scrollTop = logEl.scrollHeight;
  };

  const showLog = async (a) => {
    stopLog();
    shownAttempt = a.attempt;
    drawAttempts();
    logEl.textContent = '';
    download.hidden = false;
    download.href = api.logUrl(runId, current.name, a.attempt);
    download.setAttribute('download', `${runId}-${current.name}-${a.attempt}.log`);
    controller = new AbortController();
    const signal = controller.signal;
    if (ACTIVE.has(a.phase)) {
      following = true;
      logStatus.textContent = `Attempt ${a.attempt}: following the log live…`;
      logEl.dataset.state = 'following';
      try {
        await api.followLog(runId, current.name, a.attempt, appendLog, signal);
        if (signal.aborted) return;
        logStatus.textContent = `Attempt ${a.attempt}: the log is complete.`;
        logEl.dataset.state = 'complete';
      } catch (e) {
        if (e.name === 'AbortError' || signal.aborted) return;
        if (e.status === 404) {
          logStatus.textContent = `Attempt ${a.attempt}: no log yet; it appears when the task starts writing.`;
          logEl.dataset.state = 'waiting';
        } else {
          logStatus.textContent = '';
          mount(logEl);
          logEl.dataset.state = 'error';
          logStatus.replaceChildren(problems(e));
        }
      } finally {
        if (!signal.aborted) following = false;
      }
      return;
    }
    logStatus.textContent = `Attempt ${a.attempt}: loading the stored log…`;
    try {
      const log = await api.readLog(runId, current.name, a.attempt, { signal });
      if (signal.aborted) return;
      logEl.textContent = log.text;
      logEl.dataset.state = 'stored';
      logStatus.textContent = `Attempt ${a.attempt}: stored log${log.truncated ? ' (only its last MiB is shown; download it for the whole)' : ''}` +
        `${log.text ? '' : ' (empty)'}.`;
    } catch (e) {
      if (e.name === 'AbortError' || signal.aborted) return;
      logEl.dataset.state = e.status === 404 ? 'missing' : 'error';
      if (e.status === 404) {
        logStatus.textContent = `Attempt ${a.attempt}: no log was stored for this attempt.`;
        download.hidden = true;
      } else {
        logStatus.replaceChildren(problems(e));
      }
    }
  };

  function drawAttempts() {
    if (attempts.length === 0) {
      mount(attemptsEl, h('p', { class: 'muted' }, current.phase === 'Pending' ? 'Not started yet.' : 'No attempt recorded yet.'));
      return;
    }
    mount(attemptsEl, h('table', { class: 'list compact' },
      h('thead', null, h('tr', null, ['#', 'Phase', 'Exit code', 'Started', 'Duration', 'Log'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, attempts.map((a) => h('tr', { dataset: { attempt: a.attempt, phase: a.phase }, class: a.attempt === shownAttempt ? 'selected' : null },
        h('td', { class: 'num' }, String(a.attempt)),
        h('td', null, phaseBadge(a.phase), a.failureKind ? h('small', null, ` ${a.failureKind}`) : null,
          a.message ? h('div', { class: 'message' }, a.message) : null),
        h('td', { class: 'num' }, a.exitCode === undefined || a.exitCode === null ? '' : String(a.exitCode)),
        h('td', null, timeEl(a.startedAt || a.queuedAt)),
        h('td', null, duration(a.startedAt, a.finishedAt)),
        h('td', null, h('button', {
          type: 'button', class: 'link', 'aria-pressed': String(a.attempt === shownAttempt),
          onclick: () => showLog(a),
        }, `Show log ${a.attempt}`)))))));
  }

  const loadAttempts = async () => {
    try {
      attempts = (await api.attempts(runId, current.name)).slice().sort((a, b) => a.attempt - b.attempt);
    } catch (e) {
      if (!closed) mount(attemptsEl, problems(e));
      return;
    }
    if (closed) return;
    drawAttempts();
    const latest = attempts[attempts.length - 1];
    if (!latest) return;
    const viewingLatest = shownAttempt === null || shownAttempt === latest.attempt || shownAttempt < latest.attempt;
    // Open the latest attempt's log, or switch from following to the stored log when it ended.
    if (shownAttempt === null || (viewingLatest && shownAttempt !== latest.attempt) ||
        (shownAttempt === latest.attempt && !following && ACTIVE.has(latest.phase) && logEl.dataset.state !== 'complete') ||
        (shownAttempt === latest.attempt && !following && !ACTIVE.has(latest.phase) && logEl.dataset.state === 'waiting')) {
      showLog(latest);
    }
  };

  loadAttempts();
  return {
    /** The task changed (an event): read the attempts again, soon. */
    taskChanged(t) {
      current = { ...t };
      mount(badge, phaseBadge(current.phase));
      drawState();
      extra?.changed?.(current);
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(loadAttempts, 150);
    },
    close() {
      closed = true;
      extra?.close?.();
      clearTimeout(reloadTimer);
      stopLog();
    },
  };
}
