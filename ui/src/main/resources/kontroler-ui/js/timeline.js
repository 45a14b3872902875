// A Gantt-like timeline of a run: one row per task that started, one bar per attempt, coloured
// by the attempt's phase. Tasks that ran more than once have their attempts read from the API.

import * as api from './api.js';
import { h, mount, s } from './dom.js';
import { PHASE_COLORS } from './graph.js';

const ROW = 22;
const LABEL = 180;
const WIDTH = 1000;
const MAX_ROWS = 200;
const MAX_FETCHES = 50;

export function drawTimeline(el, runId, getTasks) {
  const attemptsOf = new Map(); // task -> {count, items}
  let fetches = 0;
  let timer = null;
  let last = 0;
  let destroyed = false;

  const bars = (t) => {
    const cached = attemptsOf.get(t.name);
    if (cached && cached.count === t.attempts) return cached.items;
    if (t.attempts > 1 && fetches < MAX_FETCHES && !(cached && cached.loading)) {
      fetches++;
      attemptsOf.set(t.name, { count: t.attempts, items: cached ? cached.items : null, loading: true });
      api.attempts(runId, t.name).then((items) => {
        attemptsOf.set(t.name, { count: t.attempts, items });
        schedule();
      }, () => attemptsOf.set(t.name, { count: t.attempts, items: null }));
    }
    if (cached && cached.items) return cached.items;
    return [{ attempt: t.attempts, phase: t.phase, startedAt: t.startedAt, finishedAt: t.finishedAt }];
  };

  const draw = () => {
    if (destroyed) return;
    last = Date.now();
    const started = getTasks().filter((t) => t.startedAt)
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    if (started.length === 0) {
      mount(el, h('p', { class: 'muted' }, 'No task has started yet.'));
      return;
    }
    const shown = started.slice(0, MAX_ROWS);
    const rows = shown.map((t) => ({ t, attempts: bars(t) }));
    const now = Date.now();
    let min = Infinity;
    let max = -Infinity;
    for (const { attempts } of rows) {
      for (const a of attempts) {
        const from = Date.parse(a.startedAt || a.queuedAt);
        if (!Number.isFinite(from)) continue;
        const to = a.finishedAt ? Date.parse(a.finishedAt) : now;
        min = Math.min(min, from);
        max = Math.max(max, to);
      }
    }
    const span = Math.max(1, max - min);
    const x = (ms) => LABEL + ((ms - min) / span) * (WIDTH - LABEL - 10);
    const height = rows.length * ROW + 24;
    const svg = s('svg', {
      viewBox: `0 0 ${WIDTH} ${height}`, class: 'timeline-svg', role: 'img',
      'aria-label': `Timeline of ${rows.length} tasks over ${Math.round(span / 1000)} seconds`,
    });
    rows.forEach(({ t, attempts }, i) => {
      const y = i * ROW;
      svg.append(s('text', { x: 4, y: y + 15, class: 'tl-label' }, t.name.length > 26 ? `${t.name.slice(0, 25)}…` : t.name));
      for (const a of attempts) {
        const from = Date.parse(a.startedAt || a.queuedAt);
        if (!Number.isFinite(from)) continue;
        const to = a.finishedAt ? Date.parse(a.finishedAt) : now;
        const c = PHASE_COLORS[a.phase] || PHASE_COLORS.Pending;
        svg.append(s('rect', {
          x: x(from), y: y + 3, width: Math.max(2, x(to) - x(from)), height: ROW - 6, rx: 2,
          fill: c.background, stroke: c.border, class: 'tl-bar', 'data-task': t.name, 'data-attempt': a.attempt,
        }, s('title', null, `${t.name} attempt ${a.attempt}: ${a.phase}` +
          `${a.exitCode !== undefined && a.exitCode !== null ? `, exit ${a.exitCode}` : ''}, ${Math.round((to - from) / 100) / 10} s`)));
      }
    });
    const axisY = rows.length * ROW + 16;
    svg.append(s('text', { x: LABEL, y: axisY, class: 'axis' }, new Date(min).toLocaleTimeString()));
    svg.append(s('text', { x: WIDTH - 10, y: axisY, class: 'axis', 'text-anchor': 'end' },
      `+${Math.round(span / 100) / 10} s`));
    mount(el, svg, started.length > MAX_ROWS ?
      h('p', { class: 'muted' }, `The first ${MAX_ROWS} of ${started.length} started tasks are shown.`) : null);
  };

  const schedule = () => {
    if (timer || destroyed) return;
    const wait = Math.max(0, 1000 - (Date.now() - last));
    timer = setTimeout(() => {
      timer = null;
      draw();
    }, wait);
  };

  draw();
  return {
    /** Redraws soon; at most once a second however many changes arrive. */
    update: schedule,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
    },
  };
}
