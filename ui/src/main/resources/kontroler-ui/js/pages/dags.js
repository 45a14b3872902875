// The DAG list: search, pages, schedule, the suspended toggle and the phase of the last run.

import * as api from '../api.js';
import { dagHref, debounce, h, link, mount, phaseBadge, runHref, showError, showInfo, timeEl, titled } from '../dom.js';

const PAGE = 20;

export async function render({ el, query, session, isCurrent }) {
  let search = query.get('search') || '';
  let page = Math.max(1, Number(query.get('page')) || 1);
  const input = h('input', {
    type: 'search', id: 'dag-search', value: search, placeholder: 'Name contains…', 'aria-label': 'Search DAGs',
  });
  const table = h('div', { class: 'table-wrap', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of DAGs' });
  mount(el,
    h('div', { class: 'page-head' }, titled('DAGs'),
      session.can('editor') ? h('a', { class: 'button primary', href: '/editor' }, 'New DAG') : null),
    h('div', { class: 'toolbar' }, input),
    table, pager);

  const load = async () => {
    const url = new URLSearchParams();
    if (search) url.set('search', search);
    if (page > 1) url.set('page', String(page));
    history.replaceState(null, '', `/dags${url.toString() ? `?${url}` : ''}`);
    let answer;
    try {
      answer = await api.listDags({ search, limit: PAGE, offset: (page - 1) * PAGE });
    } catch (e) {
      showError(e, 'DAGs');
      return;
    }
    if (!isCurrent()) return;
    drawTable(table, answer.items, session);
    drawPager(pager, answer.total, page, (p) => {
      page = p;
      load();
    });
  };
  input.addEventListener('input', debounce(() => {
    search = input.value.trim();
    page = 1;
    load();
  }, 250));
  await load();
}

function drawTable(table, items, session) {
  if (items.length === 0) {
    mount(table, h('p', { class: 'muted' }, 'No DAG matches.'));
    return;
  }
  const rows = items.map((d) => {
    const key = api.dagKey(d.namespace, d.name);
    const last = h('td', { class: 'last-run' }, '…');
    lastRun(last, key, d);
    return h('tr', { dataset: { dag: key } },
      h('td', null, link(dagHref(key), d.name)),
      h('td', null, d.namespace),
      h('td', null, d.schedule ? h('code', null, d.schedule) : h('span', { class: 'muted' }, 'on demand')),
      h('td', { class: 'num' }, String(d.tasks ?? '')),
      h('td', { class: 'num' }, `v${d.latestVersion}`),
      h('td', null, suspendedToggle(key, d, session)),
      last,
      h('td', null, timeEl(d.updatedAt)));
  });
  mount(table, h('table', { class: 'list', id: 'dag-table' },
    h('thead', null, h('tr', null,
      ['Name', 'Namespace', 'Schedule', 'Tasks', 'Version', 'Suspended', 'Last run', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows)));
}

/** The last run's phase: from the list answer when it has it, else one small request. */
async function lastRun(cell, key, dag) {
  const known = dag.lastRun || (dag.lastRunPhase ? { phase: dag.lastRunPhase, id: dag.lastRunId } : null);
  try {
    const run = known || (await api.listRuns({ dag: key, limit: 1 })).items[0];
    mount(cell, run ? (run.id ? link(runHref(run.id), phaseBadge(run.phase)) : phaseBadge(run.phase)) :
      h('span', { class: 'muted' }, 'never run'));
  } catch (e) {
    mount(cell, h('span', { class: 'muted', title: e.message }, 'unknown'));
  }
}

function suspendedToggle(key, dag, session) {
  if (!session.can('editor')) return dag.suspended ? 'yes' : 'no';
  const box = h('input', {
    type: 'checkbox', checked: dag.suspended, 'aria-label': `Suspend the schedule of ${key}`,
  });
  box.addEventListener('change', async () => {
    box.disabled = true;
    const wanted = box.checked;
    try {
      const answer = wanted ? await api.suspendDag(key) : await api.resumeDag(key);
      box.checked = answer && typeof answer.suspended === 'boolean' ? answer.suspended : wanted;
      showInfo(`${key}: schedule ${box.checked ? 'suspended' : 'resumed'}`);
    } catch (e) {
      box.checked = !wanted;
      showError(e, `${wanted ? 'Suspend' : 'Resume'} ${key}`);
    } finally {
      box.disabled = false;
    }
  });
  return h('label', { class: 'switch' }, box, h('span', null, 'suspended'));
}

/** Previous/next and "page x of y" for any list with a total. */
export function drawPager(pager, total, page, go) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  mount(pager,
    h('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, '← Previous'),
    h('span', null, ` Page ${page} of ${pages} (${total}) `),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next →'));
}
