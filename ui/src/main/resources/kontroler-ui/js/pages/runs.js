// The runs list: newest first, filtered by DAG and phase, a page at a time (cursor).

import * as api from '../api.js';
import { dagHref, duration, h, link, mount, phaseBadge, runHref, showError, timeEl, titled } from '../dom.js';

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled'];
const PAGE = 50;

export async function render({ el, query, navigate, isCurrent }) {
  const dag = query.get('dag') || '';
  const phase = query.get('phase') || '';
  const dagInput = h('input', { id: 'runs-dag', name: 'dag', value: dag, placeholder: 'namespace/name or name' });
  const phaseSelect = h('select', { id: 'runs-phase', name: 'phase' },
    h('option', { value: '' }, 'any phase'),
    PHASES.map((p) => h('option', { value: p, selected: p === phase }, p)));
  const filters = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter runs' },
    h('label', { for: 'runs-dag' }, 'DAG'), dagInput,
    h('label', { for: 'runs-phase' }, 'Phase'), phaseSelect,
    h('button', { type: 'submit' }, 'Filter'));
  const apply = (event) => {
    event?.preventDefault();
    const q = new URLSearchParams();
    if (dagInput.value.trim()) q.set('dag', dagInput.value.trim());
    if (phaseSelect.value) q.set('phase', phaseSelect.value);
    navigate(`/runs${q.toString() ? `?${q}` : ''}`);
  };
  filters.addEventListener('submit', apply);
  phaseSelect.addEventListener('change', apply);

  const tbody = h('tbody');
  const more = h('button', { type: 'button', id: 'runs-more', hidden: true }, 'Show older runs');
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  mount(el, titled('Runs'), filters,
    h('table', { class: 'list', id: 'runs-table' },
      h('thead', null, h('tr', null, ['Run', 'DAG', 'Phase', 'Tasks', 'Started', 'Duration'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody),
    status, more);

  let cursor = null;
  const load = async () => {
    more.disabled = true;
    try {
      const page = await api.listRuns({ dag: dag || undefined, phase: phase || undefined, cursor, limit: PAGE });
      if (!isCurrent()) return;
      tbody.append(...page.items.map(row));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      status.textContent = tbody.children.length === 0 ? 'No runs match.' : `${tbody.children.length} runs shown`;
    } catch (e) {
      showError(e, 'Runs');
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);
  await load();
}

function row(r) {
  const c = r.counts;
  const total = c ? Object.values(c).reduce((a, b) => a + b, 0) : 0;
  return h('tr', { dataset: { run: r.id, phase: r.phase } },
    h('td', null, link(runHref(r.id), r.name || r.id)),
    h('td', null, link(dagHref(r.dag), r.dag)),
    h('td', null, phaseBadge(r.phase),
      r.paused ? h('span', { class: 'badge paused' }, 'Paused') : null,
      r.slaMissed ? h('span', { class: 'badge sla-missed', title: 'the run or a task ran past the DAG\'s SLA' }, 'SLA missed') : null),
    h('td', { class: 'num' }, c ? `${c.succeeded}/${total}` : ''),
    h('td', null, timeEl(r.startedAt || r.createdAt)),
    h('td', null, duration(r.startedAt, r.finishedAt)));
}
