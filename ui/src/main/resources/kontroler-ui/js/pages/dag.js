// A DAG: its graph, task details, versions, recent runs, and the Run form with its parameters.

import * as api from '../api.js';
import { dump } from '../../vendor/js-yaml.mjs';
import {
  actionButton, dagHref, fact, h, link, mount, phaseBadge, problems, runHref, showInfo, timeEl, titled,
} from '../dom.js';
import { drawGraph, legend } from '../graph.js';

export async function render({ el, params, query, session, navigate, isCurrent }) {
  const key = api.dagKey(params.namespace, params.name);
  const version = query.get('version') || undefined;
  const dag = await api.getDag(key, version);
  if (!isCurrent()) return undefined;
  const exitTasks = dag.spec.onExit || [];
  const tasksByName = new Map([...(dag.spec.task || []), ...exitTasks].map((t) => [t.name, t]));
  const details = h('section', { class: 'card details', id: 'task-details', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Click a task in the graph, or choose it below, to see its details.'));
  const graphEl = h('div', { class: 'graph', id: 'dag-graph', role: 'img', 'aria-label': `Graph of ${key}` });
  const runsEl = h('section', { class: 'card', 'aria-labelledby': 'dag-runs-title' });
  const formEl = h('div', { id: 'run-form-slot' });
  const backfillsEl = h('section', { class: 'card', id: 'dag-backfills', 'aria-labelledby': 'dag-backfills-title' });

  const showTask = (name) => {
    const t = tasksByName.get(name);
    if (!t) return;
    mount(details, taskDetails(t, dag.spec));
    picker.value = name;
    const url = new URL(location.href);
    url.searchParams.set('task', name);
    history.replaceState(null, '', url.pathname + url.search);
  };
  const picker = taskPicker([...tasksByName.keys()], (name) => {
    view.select(name);
    showTask(name);
  });

  mount(el,
    h('div', { class: 'page-head' },
      titled(dag.name),
      h('span', { class: 'muted' }, `namespace ${dag.namespace} · version ${dag.version} of ${dag.latestVersion}`),
      h('div', { class: 'actions' }, actions(key, dag, session, navigate, formEl))),
    summaryLine(dag),
    formEl,
    h('div', { class: 'graph-layout' },
      h('div', { class: 'graph-panel card' },
        h('div', { class: 'toolbar' }, picker, legend(h)), graphEl),
      details),
    h('div', { class: 'columns' }, versionsCard(key, dag), runsEl),
    dag.spec.schedule ? backfillsEl : null);

  const view = drawGraph(graphEl,
    [...dag.graph.nodes.map((n) => ({ name: n.name })), ...exitTasks.map((t) => ({ name: t.name, exit: true }))],
    [...dag.graph.edges, ...exitTasks.flatMap((t) => (t.runAfter || []).map((up) => ({ from: up, to: t.name })))], {
      onSelect: showTask,
    });
  if (query.get('task')) {
    view.select(query.get('task'));
    showTask(query.get('task'));
  }
  loadRuns(runsEl, key);
  if (dag.spec.schedule) loadBackfills(backfillsEl, key, session);
  return () => view.destroy();
}

function summaryLine(dag) {
  const spec = dag.spec;
  return h('dl', { class: 'facts' },
    fact('Schedule', spec.schedule ? h('code', null, spec.schedule) : 'on demand'),
    h('div', { class: 'fact' }, h('dt', null, 'Suspended'), h('dd', { id: 'dag-suspended' }, dag.suspended ? 'yes' : 'no')),
    fact('Tasks', String((spec.task || []).length)),
    fact('Parameters', (spec.parameters || []).map((p) => p.name).join(', ') || 'none'),
    spec.concurrencyPolicy ? fact('Concurrency', spec.concurrencyPolicy) : null);
}

function actions(key, dag, session, navigate, formEl) {
  if (!session.can('editor')) return [];
  return [
    h('button', { type: 'button', class: 'primary', id: 'run-button', onclick: () => openRunForm(formEl, dag, navigate) }, 'Run'),
    h('a', { class: 'button', href: `/editor?dag=${encodeURIComponent(key)}&version=${dag.version}` }, 'Edit'),
    actionButton(dag.suspended ? 'Resume schedule' : 'Suspend schedule', async () => {
      if (dag.suspended) await api.resumeDag(key);
      else await api.suspendDag(key);
      navigate(location.pathname + location.search, { replace: true });
    }),
    actionButton('Delete', async () => {
      if (!confirm(`Delete the DAG ${key}? Its past runs stay in the history.`)) return;
      await api.deleteDag(key);
      showInfo(`Deleted ${key}`);
      navigate('/dags');
    }, { class: 'danger' }),
  ];
}

/**
 * A keyboard way to reach any task: a text field whose suggestions (at most 50) are the task
 * names containing what was typed; Enter picks the exact name, or the only match.
 */
function taskPicker(names, onPick) {
  const list = h('datalist', { id: 'task-names' });
  const input = h('input', {
    id: 'task-picker', list: 'task-names', placeholder: 'Find a task…', 'aria-label': 'Find a task by name', autocomplete: 'off',
  });
  const known = new Set(names);
  const matches = () => {
    const text = input.value.trim().toLowerCase();
    return text ? names.filter((n) => n.toLowerCase().includes(text)).slice(0, 50) : names.slice(0, 50);
  };
  const pick = () => {
    const found = matches();
    if (known.has(input.value)) onPick(input.value);
    else if (found.length === 1) onPick(found[0]);
  };
  input.addEventListener('input', () => mount(list, matches().map((n) => h('option', { value: n }))));
  input.addEventListener('change', pick);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      pick();
    }
  });
  const wrap = h('span', { class: 'picker' }, input, list);
  Object.defineProperty(wrap, 'value', { set: (v) => { input.value = v; } });
  return wrap;
}

/** Everything about one task: image, command, parameters, retries and the pod template as YAML. */
export function taskDetails(t, spec) {
  const secretParams = new Set((spec.parameters || []).filter((p) => p.defaultFromSecret).map((p) => p.name));
  const rows = [
    ['Image', t.image ? h('code', null, t.image) : null],
    ['Uses', t.taskRef ? `DagTask ${t.taskRef.name} v${t.taskRef.version}` : null],
    ['Command', t.command ? h('code', null, JSON.stringify(t.command)) : null],
    ['Arguments', t.args && t.args.length ? h('code', null, JSON.stringify(t.args)) : null],
    ['Script', t.script ? h('pre', { class: 'code' }, t.script) : null],
    ['Runs after', (t.runAfter || []).length ? t.runAfter.join(', ') : 'nothing (a root task)'],
    ['Parameters', (t.parameters || []).length ? t.parameters.map((p) => (secretParams.has(p) ? `${p} (secret)` : p)).join(', ') : 'none'],
    ['Retries', String((t.backoff && t.backoff.limit) || 0)],
    ['Retry only exit codes', t.conditional && t.conditional.enabled ? (t.conditional.retryCodes || []).join(', ') : null],
    ['Environment', (t.env || []).length ? h('code', { id: 'task-env' }, t.env.map((e) => `${e.name}=${e.value}`).join(' ')) : null],
    ['Outputs', (t.outputs || []).length ? h('code', { id: 'task-declared-outputs' }, t.outputs.join(', ')) : null],
    ['Runs when', t.when ? h('code', { id: 'task-when' }, t.when) : null],
    ['Trigger rule', t.trigger ? h('code', null, t.trigger) : null],
    ['Failure allowed', t.allowFailure ? 'yes: its failure does not fail the run' : null],
    ['Exit task', (spec.onExit || []).some((x) => x.name === t.name) ? 'yes: runs once every other task is final' : null],
  ].filter(([, v]) => v !== null && v !== undefined);
  const pod = prune(t.podTemplate);
  return [
    h('h2', null, t.name),
    h('dl', { class: 'facts vertical' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('h3', null, 'Pod template'),
    pod ? h('pre', { class: 'code', id: 'pod-template' }, dump(pod, { noRefs: true, lineWidth: 100 })) :
      h('p', { class: 'muted' }, 'none'),
  ];
}

/** A copy without nulls, empty lists and empty objects (what the spec did not say). */
export function prune(value) {
  if (Array.isArray(value)) {
    const out = value.map(prune).filter((v) => v !== undefined);
    return out.length ? out : undefined;
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

function versionsCard(key, dag) {
  const versions = [...(dag.versions || [])].sort((a, b) => b.version - a.version);
  const base = dagHref(key);
  return h('section', { class: 'card', 'aria-labelledby': 'versions-title' },
    h('h2', { id: 'versions-title' }, 'Versions'),
    h('table', { class: 'list' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Published'))),
      h('tbody', null, versions.slice(0, 50).map((v) => h('tr', { class: v.version === dag.version ? 'current' : null },
        h('td', null, v.version === dag.version ? h('strong', null, `v${v.version} (shown)`) :
          link(`${base}?version=${v.version}`, `v${v.version}`)),
        h('td', null, timeEl(v.publishedAt)))))));
}

async function loadRuns(section, key) {
  mount(section, h('h2', { id: 'dag-runs-title' }, 'Recent runs'), h('p', { class: 'muted' }, 'Loading…'));
  try {
    const page = await api.listRuns({ dag: key, limit: 10 });
    mount(section, h('h2', { id: 'dag-runs-title' }, 'Recent runs'),
      page.items.length === 0 ? h('p', { class: 'muted' }, 'No runs yet.') :
        h('table', { class: 'list', id: 'dag-runs' },
          h('thead', null, h('tr', null, ['Run', 'Phase', 'Started', 'Finished'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, page.items.map((r) => h('tr', null,
            h('td', null, link(runHref(r.id), r.name || r.id)),
            h('td', null, phaseBadge(r.phase),
      r.paused ? h('span', { class: 'badge paused' }, 'Paused') : null,
      r.slaMissed ? h('span', { class: 'badge sla-missed', title: 'the run or a task ran past the DAG\'s SLA' }, 'SLA missed') : null),
            h('td', null, timeEl(r.startedAt || r.createdAt)),
            h('td', null, timeEl(r.finishedAt)))))),
      h('p', null, link(`/runs?dag=${encodeURIComponent(key)}`, 'All runs of this DAG')));
  } catch (e) {
    mount(section, h('h2', { id: 'dag-runs-title' }, 'Recent runs'), problems(e));
  }
}

/** The Run form: every parameter prefilled with its default; secrets shown as references. */
function openRunForm(slot, dag, navigate) {
  const key = api.dagKey(dag.namespace, dag.name);
  const params = dag.spec.parameters || [];
  const errors = h('div');
  const fields = params.map((p) => {
    const id = `param-${p.name}`;
    if (p.defaultFromSecret !== undefined && p.defaultFromSecret !== null) {
      const input = h('input', { id, name: p.name, placeholder: p.defaultFromSecret, dataset: { secret: 'true' } });
      return {
        p, input, row: h('div', { class: 'field' },
          h('label', { for: id }, `${p.name} `, h('span', { class: 'muted' }, `(secret: ${p.defaultFromSecret})`)),
          input,
          h('small', { class: 'muted' }, 'The value stays in the Secret. Name another Secret to use it instead.')),
      };
    }
    const input = h('input', { id, name: p.name, value: p.defaultValue ?? '' });
    return { p, input, row: h('div', { class: 'field' }, h('label', { for: id }, p.name), input) };
  });
  const runName = h('input', { id: 'run-name', name: 'name', placeholder: 'optional' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'run-submit' }, 'Start run');
  const form = h('form', { class: 'card run-form', id: 'run-form', 'aria-labelledby': 'run-form-title' },
    h('h2', { id: 'run-form-title' }, `Run ${dag.name}`),
    fields.length ? fields.map((f) => f.row) : h('p', { class: 'muted' }, 'This DAG has no parameters.'),
    h('div', { class: 'field' }, h('label', { for: 'run-name' }, 'Run name'), runName),
    errors,
    h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', onclick: () => mount(slot) }, 'Close')));
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') mount(slot);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    mount(errors);
    const parameters = {};
    for (const { p, input } of fields) {
      const v = input.value;
      if (input.dataset.secret) {
        if (v.trim()) parameters[p.name] = { fromSecret: v.trim() };
      } else if (v !== (p.defaultValue ?? '')) {
        parameters[p.name] = v;
      }
    }
    try {
      const { id } = await api.startRun(key, parameters, runName.value.trim());
      navigate(runHref(id));
    } catch (e) {
      mount(errors, problems(e));
    } finally {
      submit.disabled = false;
    }
  });
  mount(slot, form);
  (fields[0] ? fields[0].input : runName).focus();
}

/**
 * The DAG's backfills, newest first: slots done, running and waiting of each, a Cancel button for
 * those in progress, and (for editors) a form to start one over a range of the schedule's slots.
 */
async function loadBackfills(section, key, session) {
  const title = h('h2', { id: 'dag-backfills-title' }, 'Backfills');
  const reload = () => loadBackfills(section, key, session);
  let items;
  try {
    items = await api.listBackfills(key);
  } catch (e) {
    mount(section, title, problems(e));
    return;
  }
  mount(section, title,
    items.length === 0 ? h('p', { class: 'muted' }, 'No backfills yet.') :
      h('table', { class: 'list', id: 'backfills' },
        h('thead', null, h('tr', null, ['From', 'To', 'Done', 'Running', 'Waiting', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, items.map((b) => h('tr', { dataset: { backfill: b.id } },
          h('td', null, timeEl(b.from)),
          h('td', null, timeEl(b.to)),
          h('td', { class: 'backfill-done' }, `${b.done} / ${b.total}`),
          h('td', { class: 'backfill-running' }, String(b.running)),
          h('td', { class: 'backfill-waiting' }, String(b.waiting)),
          h('td', null, backfillState(b)),
          h('td', null, session.can('editor') && inProgress(b) ?
            actionButton('Cancel', async () => {
              await api.cancelBackfill(b.id);
              showInfo('Cancel requested');
              reload();
            }) : null))))),
    session.can('editor') ? backfillForm(key, reload) : null);
}

function inProgress(b) {
  return !b.message && (b.total === 0 || b.running > 0 || (b.waiting > 0 && !b.cancelled));
}

function backfillState(b) {
  if (b.message) return `refused: ${b.message}`;
  if (b.total === 0) return 'requested';
  if (b.cancelled) return b.running > 0 ? 'cancelling' : 'cancelled';
  return b.running > 0 || b.waiting > 0 ? 'running' : 'finished';
}

function backfillForm(key, reload) {
  const errors = h('div');
  const from = h('input', { id: 'backfill-from', name: 'from', placeholder: '2026-10-01T00:00:00Z', required: true });
  const to = h('input', { id: 'backfill-to', name: 'to', placeholder: '2026-10-30T00:00:00Z', required: true });
  const maxActive = h('input', { id: 'backfill-max-active', name: 'maxActive', type: 'number', min: '1', value: '1' });
  const form = h('form', { class: 'backfill-form', id: 'backfill-form' },
    h('div', { class: 'field' }, h('label', { for: 'backfill-from' }, 'From (first slot)'), from),
    h('div', { class: 'field' }, h('label', { for: 'backfill-to' }, 'To (last slot)'), to),
    h('div', { class: 'field' }, h('label', { for: 'backfill-max-active' }, 'At once'), maxActive),
    errors,
    h('button', { type: 'submit', id: 'backfill-submit' }, 'Backfill'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    mount(errors);
    try {
      await api.startBackfill(key, from.value.trim(), to.value.trim(), Number(maxActive.value));
      showInfo('Backfill requested');
      reload();
    } catch (e) {
      mount(errors, problems(e));
    }
  });
  return form;
}
