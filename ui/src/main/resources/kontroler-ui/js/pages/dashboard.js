// The dashboard: runs by phase per day (stacked bars), active runs, task outcomes, recent runs.

import * as api from '../api.js';
import { dagHref, h, link, mount, phaseBadge, s, showError, timeEl, titled } from '../dom.js';
import { PHASE_COLORS } from '../graph.js';

const RUN_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled'];

export async function render({ el }) {
  const figures = h('section', { class: 'cards', 'aria-label': 'Figures' }, h('p', { class: 'muted' }, 'Loading figures…'));
  const recent = h('section', { 'aria-labelledby': 'recent-title' });
  mount(el, titled('Dashboard'), figures, recent);
  const [stats, active] = await Promise.allSettled([api.stats(), api.listRuns({ limit: 10 })]);
  if (stats.status === 'fulfilled') drawFigures(figures, stats.value);
  else {
    mount(figures);
    showError(stats.reason, 'Dashboard figures');
  }
  if (active.status === 'fulfilled') drawRecent(recent, active.value.items);
  else showError(active.reason, 'Recent runs');
}

function drawFigures(figures, stats) {
  const byPhase = stats.runsByPhase || {};
  const total = Object.values(byPhase).reduce((a, b) => a + b, 0);
  mount(figures,
    h('div', { class: 'card figure' },
      h('h2', null, 'Active runs'),
      h('p', { class: 'big', id: 'active-runs' }, String(stats.activeRuns ?? 0)),
      h('a', { href: '/runs?phase=Running' }, 'Show running')),
    h('div', { class: 'card figure' },
      h('h2', null, 'Runs, last 30 days'),
      h('p', { class: 'big' }, String(total)),
      h('ul', { class: 'inline-list' }, RUN_PHASES.filter((p) => byPhase[p]).map((p) =>
        h('li', null, h('a', { href: `/runs?phase=${p}` }, phaseBadge(p)), ` ${byPhase[p]}`)))),
    h('div', { class: 'card chart wide' },
      h('h2', { id: 'by-day-title' }, 'Runs by day and phase'),
      runsByDay(stats.runsByDay || [])),
    h('div', { class: 'card chart' },
      h('h2', { id: 'outcomes-title' }, 'Task outcomes'),
      outcomes(stats.taskOutcomes || [])));
}

/** Stacked bars, one per day; each bar has a text alternative. */
function runsByDay(days) {
  const width = 640;
  const height = 160;
  const pad = 24;
  const max = Math.max(1, ...days.map((d) => Object.values(d.phases || {}).reduce((a, b) => a + b, 0)));
  const bar = days.length ? (width - pad) / days.length : 0;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height + 20}`, role: 'img', 'aria-labelledby': 'by-day-title', class: 'chart-svg',
  });
  svg.append(s('text', { x: 0, y: 12, class: 'axis' }, String(max)));
  svg.append(s('line', { x1: pad, y1: height, x2: width, y2: height, class: 'axis-line' }));
  days.forEach((d, i) => {
    let y = height;
    const label = [];
    for (const p of RUN_PHASES) {
      const n = (d.phases || {})[p] || 0;
      if (!n) continue;
      const hgt = (n / max) * (height - 16);
      y -= hgt;
      label.push(`${p} ${n}`);
      svg.append(s('rect', {
        x: pad + i * bar + 1, y, width: Math.max(1, bar - 2), height: hgt,
        fill: (PHASE_COLORS[p] || PHASE_COLORS.Pending).background,
        stroke: (PHASE_COLORS[p] || PHASE_COLORS.Pending).border, 'stroke-width': 0.5,
      }, s('title', null, `${d.day}: ${label.join(', ') || 'no runs'}`)));
    }
    if (i % 7 === 0 || (i === days.length - 1 && i % 7 >= 4)) {
      svg.append(s('text', { x: pad + i * bar, y: height + 14, class: 'axis' }, String(d.day).slice(5)));
    }
  });
  return svg;
}

/** Horizontal bars: ended task attempts by phase (and failure kind). */
function outcomes(list) {
  if (list.length === 0) return h('p', { class: 'muted' }, 'No task has finished in this period.');
  const max = Math.max(1, ...list.map((o) => o.count));
  return h('table', { class: 'bars' },
    h('caption', { class: 'sr-only' }, 'Ended task attempts by outcome'),
    h('tbody', null, list.map((o) => {
      const c = PHASE_COLORS[o.phase] || PHASE_COLORS.Pending;
      return h('tr', null,
        h('th', { scope: 'row' }, o.phase + (o.failureKind ? ` (${o.failureKind})` : '')),
        h('td', null, h('span', {
          class: 'bar', style: { width: `${(o.count / max) * 100}%`, background: c.background, borderColor: c.border },
        })),
        h('td', { class: 'num' }, String(o.count)));
    })));
}

function drawRecent(section, runs) {
  mount(section,
    h('h2', { id: 'recent-title' }, 'Recent runs'),
    runs.length === 0 ? h('p', { class: 'muted' }, 'No runs yet.') :
      h('table', { class: 'list' },
        h('thead', null, h('tr', null, ['Run', 'DAG', 'Phase', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, runs.map((r) => h('tr', null,
          h('td', null, link(`/runs/${encodeURIComponent(r.id)}`, r.name || r.id)),
          h('td', null, link(dagHref(r.dag), r.dag)),
          h('td', null, phaseBadge(r.phase)),
          h('td', null, timeEl(r.createdAt)))))));
}
