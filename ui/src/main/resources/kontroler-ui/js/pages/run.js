// A run: its graph coloured by task phase and kept current by the event stream, a timeline of
// task attempts, the tasks with attempts and exit codes, and the log of the chosen attempt.

import * as api from '../api.js';
import {
  actionButton, dagHref, duration, fact, h, link, mount, phaseBadge, runHref, showError, showInfo, timeEl, titled,
} from '../dom.js';
import { drawGraph, legend, skipKind } from '../graph.js';
import { drawTimeline } from '../timeline.js';
import { openTaskPanel } from '../taskpanel.js';
import { countsText, drawInstances, instanceCounts, progressLabel } from '../instances.js';
import { approvalMark, drawApproval } from '../approval.js';

const FINAL_RUN = new Set(['Succeeded', 'Failed', 'Cancelled']);
const FINAL_TASK = new Set(['Succeeded', 'Failed', 'Skipped', 'Cancelled']);
const TASK_PHASES = ['Pending', 'Queued', 'Running', 'Retrying', 'Succeeded', 'Failed', 'Skipped', 'Cancelled'];
const PAGE = 50;

export async function render({ el, params, query, session, isCurrent }) {
  const run = await api.getRun(params.id);
  if (!isCurrent()) return undefined;
  const tasks = new Map(run.tasks.map((t) => [t.name, { ...t }]));
  const order = run.tasks.map((t) => t.name);
  const state = { run, selected: null, page: 1, filter: '' };
  // A fan-out task is one node: it shows how far its instances got (they are not tasks here).
  const groups = instanceCounts(run.tasks);
  const labelOf = (t) => (groups.has(t.name) ? progressLabel(t.name, groups.of(t.name)) :
    t.childRunId ? `${t.name}\n↳ child run` :
      t.waitingForPool ? `${t.name}\n${poolWaitText(t)}` : t.name);

  const header = h('div', { class: 'page-head' });
  const facts = h('dl', { class: 'facts', id: 'run-facts' });
  const live = h('span', { class: 'live', id: 'live-status', role: 'status' }, 'connecting…');
  const graphEl = h('div', {
    class: 'graph', id: 'run-graph', role: 'img', 'aria-label': 'Graph of the run, coloured by task phase',
    dataset: { liveEvents: '0' },
  });
  const tableBody = h('tbody');
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of tasks' });
  const phaseFilter = h('select', { id: 'task-phase-filter', 'aria-label': 'Show tasks in phase' },
    h('option', { value: '' }, 'all phases'), TASK_PHASES.map((p) => h('option', { value: p }, p)));
  const timelineEl = h('div', { class: 'timeline', id: 'run-timeline' });
  const panel = h('section', { class: 'card details', id: 'task-panel', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Choose a task to see its attempts and its log.'));

  mount(el, header, facts,
    h('div', { class: 'graph-layout' },
      h('div', { class: 'graph-panel card' }, h('div', { class: 'toolbar' }, live, legend(h)), graphEl),
      panel),
    h('section', { class: 'card', 'aria-labelledby': 'tasks-title' },
      h('div', { class: 'toolbar' }, h('h2', { id: 'tasks-title' }, 'Tasks'), phaseFilter),
      h('table', { class: 'list', id: 'task-table' },
        h('thead', null, h('tr', null,
          ['Task', 'Phase', 'Attempts', 'Exit code', 'Started', 'Duration'].map((t) => h('th', { scope: 'col' }, t)))),
        tableBody),
      pager),
    h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, 'Timeline of attempts'), timelineEl));

  let panelHandle = null;
  const select = (name) => {
    if (!tasks.has(name)) return;
    state.selected = name;
    view.select(name);
    const url = new URL(location.href);
    url.searchParams.set('task', name);
    history.replaceState(null, '', url.pathname + url.search);
    panelHandle?.close();
    panelHandle = openTaskPanel(panel, run.id, tasks.get(name), panelOptions(name));
    drawTable();
  };
  const openInstance = (instance) => {
    panelHandle?.close();
    panelHandle = openTaskPanel(panel, run.id, instance);
  };
  const childLink = (el, name) => {
    const draw = () => {
      const child = tasks.get(name)?.childRunId;
      mount(el, child ? h('p', { class: 'sub-dag' }, 'Sub-DAG: ',
        h('a', { href: runHref(child), id: 'child-run-link' }, `child run ${child}`)) : null);
    };
    draw();
    return { changed: draw };
  };
  const panelOptions = (name) => ({
    extra: (el) => (groups.has(name) ?
      drawInstances(el, run.id, name, () => groups.of(name) || {}, tasks.get(name).instances, openInstance) :
      tasks.get(name).approval ? drawApproval(el, run.id, () => tasks.get(name)) :
        childLink(el, name)),
    onRerun: session.can('editor') && state.run.phase !== 'Pending' ? async (task) => {
      await api.rerunTask(run.id, task);
      showInfo(`Re-run requested: ${task} and every task downstream of it run again`);
    } : null,
  });

  const view = drawGraph(graphEl, order.map((n) => {
    const t = tasks.get(n);
    return {
      name: n, phase: t.phase, message: t.message, exit: Boolean(t.exit), label: labelOf(t),
      title: t.waitingForPool ? poolWaitText(t) : null,
    };
  }),
    run.tasks.flatMap((t) => (t.runAfter || []).map((up) => ({ from: up, to: t.name }))), { onSelect: select });

  const drawHeader = () => {
    const r = state.run;
    mount(header,
      titled(`Run ${r.name || r.id}`),
      h('span', { id: 'run-phase' }, phaseBadge(r.phase)),
      r.paused ? h('span', { class: 'badge paused', id: 'run-paused', title: `paused by ${r.pausedBy || '?'}` }, 'Paused') : null,
      r.slaMissed ? h('span', { class: 'badge sla-missed', id: 'run-sla-missed', title: 'the run or a task ran past the DAG\'s SLA' }, 'SLA missed') : null,
      h('div', { class: 'actions' }, session.can('editor') ? [
        !FINAL_RUN.has(r.phase) && !r.paused ? actionButton('Pause', async () => {
          await api.pauseRun(r.id);
          showInfo('Pause requested: no new task starts; running tasks finish');
        }, { id: 'pause-run' }) : null,
        !FINAL_RUN.has(r.phase) && r.paused ? actionButton('Resume', async () => {
          await api.resumeRun(r.id);
          showInfo('Resume requested');
        }, { id: 'resume-run' }) : null,
        !FINAL_RUN.has(r.phase) ? actionButton('Cancel run', async () => {
          if (!confirm('Cancel this run? Running tasks are stopped.')) return;
          await api.cancelRun(r.id);
          showInfo('Cancel requested');
        }, { class: 'danger', id: 'cancel-run' }) : null,
        r.phase === 'Failed' || r.phase === 'Cancelled' ? actionButton('Retry', async () => {
          await api.retryRun(r.id);
          showInfo('Retry requested: failed, skipped and cancelled tasks run again');
        }, { id: 'retry-run' }) : null,
      ] : null));
    const c = r.counts;
    mount(facts,
      fact('DAG', link(dagHref(r.dag), r.dag), r.dagVersion ? ` v${r.dagVersion}` : ''),
      fact('Id', h('code', null, r.id)),
      r.parent ? fact('Parent', h('a', { href: runHref(r.parent.runId), id: 'parent-run-link' }, `run ${r.parent.runId}`),
        ' task ', h('code', null, r.parent.task)) : null,
      fact('Started', timeEl(r.startedAt || r.createdAt)),
      fact('Finished', timeEl(r.finishedAt)),
      fact('Duration', duration(r.startedAt, r.finishedAt)),
      c ? h('div', { class: 'fact' }, h('dt', null, 'Tasks'), h('dd', { id: 'run-counts' },
        TASK_PHASES.filter((p) => c[p.toLowerCase()]).map((p) => `${p} ${c[p.toLowerCase()]}`).join(' · ') || '—')) : null,
      Object.keys(r.parameters || {}).length ? fact('Parameters',
        Object.entries(r.parameters).map(([k, v]) => h('span', { class: 'param' }, h('code', null, `${k}=${v}`)))) : null,
      r.paused ? fact('Paused by', r.pausedBy || '—') : null,
      r.message ? fact('Message', r.message) : null);
  };

  const visible = () => order.filter((n) => !state.filter || tasks.get(n).phase === state.filter);
  const drawTable = () => {
    const names = visible();
    const pages = Math.max(1, Math.ceil(names.length / PAGE));
    state.page = Math.min(state.page, pages);
    const slice = names.slice((state.page - 1) * PAGE, state.page * PAGE);
    mount(tableBody, slice.map((n) => {
      const t = tasks.get(n);
      const skip = skipKind(t);
      const counts = groups.of(n);
      return h('tr', {
        dataset: {
          task: n, phase: t.phase, ...(skip ? { skip } : {}), ...(t.exit ? { exit: 'true' } : {}),
          ...(t.waitingForPool ? { waitingForPool: t.waitingForPool } : {}),
          ...(counts ? { instances: countsText(counts) } : {}),
        },
        class: n === state.selected ? 'selected' : null,
      },
        h('td', null, h('button', { type: 'button', class: 'link', onclick: () => select(n) }, n),
          t.exit ? h('small', { class: 'exit-mark' }, ' exit task') : null,
          t.childRunId ? h('small', null, ' ', link(runHref(t.childRunId), 'child run')) : null),
        h('td', null, taskStatus(t), approvalMark(t), poolWaitMark(t),
          counts ? h('small', { class: 'instance-counts' }, ` ${progressLabel('', counts).trim()}`) : null),
        h('td', { class: 'num' }, String(t.attempts || 0)),
        h('td', { class: 'num' }, t.exitCode === undefined || t.exitCode === null ? '' : String(t.exitCode)),
        h('td', null, timeEl(t.startedAt)),
        h('td', null, FINAL_TASK.has(t.phase) || t.phase === 'Running' ? duration(t.startedAt, t.finishedAt) : ''));
    }));
    mount(pager,
      h('button', { type: 'button', disabled: state.page <= 1, onclick: () => { state.page--; drawTable(); } }, '← Previous'),
      h('span', null, ` Page ${state.page} of ${pages} (${names.length} tasks) `),
      h('button', { type: 'button', disabled: state.page >= pages, onclick: () => { state.page++; drawTable(); } }, 'Next →'));
  };
  phaseFilter.addEventListener('change', () => {
    state.filter = phaseFilter.value;
    state.page = 1;
    drawTable();
  });

  const timeline = drawTimeline(timelineEl, run.id, () => order.map((n) => tasks.get(n)));

  // Live updates: changes are gathered and applied at most once per animation frame.
  let dirty = false;
  const redraw = () => {
    dirty = false;
    drawTable();
    timeline.update();
  };
  const touched = () => {
    if (!dirty) {
      dirty = true;
      requestAnimationFrame(redraw);
    }
  };
  // A task changed by an event after a refresh was asked for keeps the event's news.
  let eventSeq = 0;
  const onTask = (e) => {
    if (e.runId !== run.id) return;
    const t = tasks.get(e.task);
    if (!t) {
      const group = groups.apply(e);
      const g = group && tasks.get(group);
      if (!g) return;
      g.seq = ++eventSeq;
      graphEl.dataset.liveEvents = String(eventSeq);
      view.setLabel(group, labelOf(g));
      touched();
      if (state.selected === group) panelHandle?.taskChanged(g);
      return;
    }
    t.seq = ++eventSeq;
    graphEl.dataset.liveEvents = String(eventSeq);
    if (e.type === 'TaskWaitingForPool') t.waitingForPool = e.pool;
    else applyTaskEvent(t, e);
    view.setPhase(t.name, t.phase, t.message);
    view.setLabel(t.name, labelOf(t));
    view.setTitle(t.name, t.waitingForPool ? poolWaitText(t) : null);
    touched();
    if (state.selected === t.name) panelHandle?.taskChanged(t);
  };
  const refresh = async () => {
    const asked = eventSeq;
    const askedRun = runEvents;
    try {
      const fresh = await api.getRun(run.id);
      // A run event that arrived while reading is newer than what was read.
      state.run = runEvents === askedRun ? fresh :
        { ...fresh, phase: state.run.phase, counts: state.run.counts, message: state.run.message };
      for (const ft of fresh.tasks) {
        const t = tasks.get(ft.name);
        if (!t || (t.seq || 0) > asked) continue;
        Object.assign(t, ft);
        if (ft.instances) groups.reset(t.name, ft.instances.counts);
        if (!ft.waitingForPool) delete t.waitingForPool;
        view.setPhase(t.name, t.phase, t.message);
        view.setLabel(t.name, labelOf(t));
        view.setTitle(t.name, t.waitingForPool ? poolWaitText(t) : null);
        if (state.selected === t.name) panelHandle?.taskChanged(t);
      }
      drawHeader();
      touched();
    } catch (e) {
      showError(e, 'Refreshing the run');
    }
  };
  let runEvents = 0;
  const onRun = (e) => {
    if (e.runId !== run.id) return;
    runEvents++;
    if (e.to) state.run = { ...state.run, phase: e.to, counts: e.counts || state.run.counts, message: e.message ?? state.run.message };
    if (e.problems) state.run = { ...state.run, message: e.problems.map((p) => p.message).join('; ') };
    if (e.type === 'RunPauseChanged') state.run = { ...state.run, paused: e.paused, pausedBy: e.user };
    if (e.type === 'SlaMissed') state.run = { ...state.run, slaMissed: true };
    drawHeader();
    if (FINAL_RUN.has(state.run.phase) || e.to === 'Running' || e.type === 'TaskApprovalRecorded') refresh();
  };
  const close = api.subscribe(run.id, {
    task: onTask,
    run: onRun,
    status: (open) => {
      live.textContent = open ? 'live' : 'reconnecting…';
      live.className = open ? 'live on' : 'live off';
      // Changes made before the stream (re)connected are not replayed: read the run again.
      if (open) refresh();
    },
    error: (err) => showError(err, 'Live updates'),
  });

  // Bars of running attempts grow with time, not only with events.
  const ticker = setInterval(() => {
    if (!FINAL_RUN.has(state.run.phase)) timeline.update();
  }, 2000);

  drawHeader();
  drawTable();
  if (query.get('task') && tasks.has(query.get('task'))) select(query.get('task'));
  return () => {
    clearInterval(ticker);
    close();
    panelHandle?.close();
    timeline.destroy();
    view.destroy();
  };
}

/**
 * A task's phase with, for a skipped task, why: its condition was false or its trigger rule was
 * not met (an upstream outcome), with the scheduler's message.
 */
export function taskStatus(t) {
  const skip = skipKind(t);
  if (!skip) return phaseBadge(t.phase);
  return h('span', { class: `task-status skipped-by-${skip}` },
    phaseBadge(t.phase),
    h('small', { class: 'skip-kind' }, skip === 'condition' ? ' condition false' : ' upstream outcome'),
    h('div', { class: 'skip-reason' }, t.message));
}

/** What a task waiting for a slot of a shared pool shows. */
export function poolWaitText(t) {
  return `waiting for pool ${t.waitingForPool}`;
}

function poolWaitMark(t) {
  return t.waitingForPool ? h('span', { class: 'badge pool-wait', title: 'no slot of the pool is free yet' },
    poolWaitText(t)) : null;
}

/** Applies a TaskPhaseChanged event to the task's row. */
export function applyTaskEvent(t, e) {
  // a task waits for a pool's slot while Pending; any other phase means it got one or ended
  if (e.to !== 'Pending') delete t.waitingForPool;
  const attempt = e.attempt || 0;
  if (attempt > (t.attempts || 0)) {
    t.attempts = attempt;
    t.startedAt = null;
    t.finishedAt = null;
    t.exitCode = null;
  }
  t.phase = e.to;
  if (e.to === 'Running' && !t.startedAt) t.startedAt = e.at;
  if (e.to === 'Pending') {
    t.startedAt = null;
    t.finishedAt = null;
  }
  if (FINAL_TASK.has(e.to)) {
    t.finishedAt = e.at;
    if (!t.startedAt && e.to !== 'Skipped' && e.to !== 'Cancelled') t.startedAt = e.at;
  }
  if (e.exitCode !== undefined) t.exitCode = e.exitCode;
  if (e.failureKind !== undefined) t.failureKind = e.failureKind;
  if (e.message !== undefined) t.message = e.message;
  t.outputs = e.outputs || {}; // a task's outputs are those of its succeeded attempt
}
