// The instances of a forEach task: `process[3]` is instance 3 of task `process`. A fan-out task is
// one node of the graph showing how far its instances got; its panel lists them a page at a time.

import * as api from './api.js';
import { h, mount, phaseBadge, problems } from './dom.js';

const PAGE = 20;
const ORDER = ['Succeeded', 'Running', 'Queued', 'Retrying', 'Pending', 'Failed', 'Skipped', 'Cancelled'];

/** The task and index an instance name names, or null for a task of its own. */
export function instanceOf(name) {
  const m = /^(.+)\[(\d{1,9})\]$/.exec(name || '');
  return m ? { task: m[1], index: Number(m[2]) } : null;
}

/** What a fan-out node says: its name, then how many instances are done, running and failed. */
export function progressLabel(name, counts) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const done = counts.Succeeded || 0;
  const parts = [`${done}/${total} done`];
  if (counts.Running) parts.push(`${counts.Running} running`);
  if (counts.Failed) parts.push(`${counts.Failed} failed`);
  return `${name}\n${parts.join(' · ')}`;
}

/** "Succeeded:7 Running:3": the counts of a fan-out task in a stable order, for attributes. */
export function countsText(counts) {
  return ORDER.filter((p) => counts[p]).map((p) => `${p}:${counts[p]}`).join(' ');
}

/**
 * Keeps the instance counts of fan-out tasks current from task events: each event moves one
 * instance from its `from` phase (none for a new instance) to its `to` phase.
 */
export function instanceCounts(tasks) {
  const groups = new Map();
  for (const t of tasks) if (t.instances) groups.set(t.name, { ...t.instances.counts });
  return {
    has: (task) => groups.has(task),
    of: (task) => groups.get(task) || null,
    /** Replaces a task's counts with those the server read. */
    reset(task, counts) {
      groups.set(task, { ...counts });
    },
    /** Applies an instance's event; returns its task when that task's counts changed. */
    apply(e) {
      const inst = instanceOf(e.task);
      if (!inst) return null;
      const counts = groups.get(inst.task) || {};
      groups.set(inst.task, counts);
      if (e.from && counts[e.from]) counts[e.from]--;
      if (e.to) counts[e.to] = (counts[e.to] || 0) + 1;
      for (const p of Object.keys(counts)) if (!counts[p]) delete counts[p];
      return inst.task;
    },
  };
}

/**
 * Draws a fan-out task's instances in `el`: counts by phase, then a page of instances (the first
 * one as the run was read, the others asked for) with buttons to open one (`onOpen(instance)`).
 */
export function drawInstances(el, runId, task, counts, firstPage, onOpen) {
  let offset = 0;
  let page = firstPage;
  const total = () => Object.values(counts()).reduce((a, b) => a + b, 0);
  const list = h('div', { id: 'task-instances-list' });
  const summary = h('p', { id: 'task-instances-counts' });
  const drawSummary = () => {
    const c = counts();
    summary.dataset.counts = countsText(c);
    mount(summary, `${total()} instances: `,
      ORDER.filter((p) => c[p]).map((p) => h('span', { class: 'count' }, phaseBadge(p), ` ${c[p]} `)));
  };
  const drawPage = () => {
    const items = page?.items || [];
    const pages = Math.max(1, Math.ceil(total() / PAGE));
    mount(list,
      h('table', { class: 'list compact' },
        h('tbody', null, items.map((t) => h('tr', { dataset: { instance: t.name, phase: t.phase } },
          h('td', null, h('button', { type: 'button', class: 'link', onclick: () => onOpen(t) }, t.name)),
          h('td', null, phaseBadge(t.phase)),
          h('td', { class: 'num' }, String(t.attempts || 0)))))),
      h('nav', { class: 'pager', 'aria-label': 'Pages of instances' },
        h('button', { type: 'button', id: 'instances-previous', disabled: offset <= 0, onclick: () => go(offset - PAGE) }, '← Previous'),
        h('span', { id: 'instances-page' }, ` Page ${Math.floor(offset / PAGE) + 1} of ${pages} `),
        h('button', { type: 'button', id: 'instances-next', disabled: offset + PAGE >= total(), onclick: () => go(offset + PAGE) }, 'Next →')));
  };
  const go = async (to) => {
    try {
      page = await api.instances(runId, task, { offset: Math.max(0, to), limit: PAGE });
      offset = Math.max(0, to);
      drawPage();
    } catch (e) {
      mount(list, problems(e));
    }
  };
  mount(el, h('h3', null, 'Instances'), summary, list);
  drawSummary();
  drawPage();
  let timer = null;
  return {
    /** The counts changed (events): redraw them, and soon read the shown page again. */
    changed() {
      drawSummary();
      clearTimeout(timer);
      timer = setTimeout(() => go(offset), 300);
    },
    close: () => clearTimeout(timer),
  };
}
