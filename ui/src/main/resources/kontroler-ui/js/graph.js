// The DAG graph: vis-network with a hierarchical left-to-right layout and no physics. Levels are
// computed here (longest path from a root, O(tasks + edges)) so the layout never has to guess.
// Phase changes update node colours in place through the DataSet; the graph is never redrawn
// from scratch on an event.

import { DataSet, Network } from '../vendor/vis-network.min.js';

/** Fill and border of a node per task phase; labels stay dark on every fill (contrast ≥ 7:1). */
export const PHASE_COLORS = {
  Pending: { background: '#e5e7eb', border: '#6b7280' },
  Queued: { background: '#dbeafe', border: '#1d4ed8' },
  Running: { background: '#93c5fd', border: '#1e3a8a' },
  Retrying: { background: '#fde68a', border: '#92400e' },
  Succeeded: { background: '#86efac', border: '#166534' },
  Failed: { background: '#fca5a5', border: '#991b1b' },
  Skipped: { background: '#e9d5ff', border: '#6b21a8' },
  Cancelled: { background: '#d1d5db', border: '#111827' },
};
const DEFINITION = { background: '#f8fafc', border: '#334155' };
const HIGHLIGHT = { background: '#fef9c3', border: '#000000' };

/**
 * Graphs with more tasks than this get their layered left-to-right layout computed here in
 * O(tasks + edges) (vis-network's hierarchical layout costs seconds on thousands of nodes), and
 * straight edges.
 */
const LARGE = 300;
const LEVEL_SEPARATION = 190;
const NODE_SPACING = 44;

function colorFor(phase) {
  const c = PHASE_COLORS[phase] || DEFINITION;
  return { ...c, highlight: HIGHLIGHT, hover: c };
}

/** The level of every task: 0 for roots, else one more than its deepest upstream task. */
export function levels(names, edges) {
  const level = new Map(names.map((n) => [n, 0]));
  const indegree = new Map(names.map((n) => [n, 0]));
  const down = new Map(names.map((n) => [n, []]));
  for (const { from, to } of edges) {
    if (!down.has(from) || !indegree.has(to)) continue;
    down.get(from).push(to);
    indegree.set(to, indegree.get(to) + 1);
  }
  const queue = names.filter((n) => indegree.get(n) === 0);
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    for (const m of down.get(n)) {
      level.set(m, Math.max(level.get(m), level.get(n) + 1));
      indegree.set(m, indegree.get(m) - 1);
      if (indegree.get(m) === 0) queue.push(m);
    }
  }
  return level;
}

/**
 * Draws a graph in `container`. `tasks` are [{name, phase?}], `edges` [{from, to}].
 * `onSelect(name)` is called when a task is clicked (or chosen with the keyboard).
 * Returns a view with setPhase/setPhases/select/destroy; the first complete drawing sets the
 * performance mark "kontroler:graph-drawn" and `data-drawn` on the container.
 */
export function drawGraph(container, tasks, edges, { onSelect } = {}) {
  const started = performance.now();
  performance.mark('kontroler:graph-start', { detail: { tasks: tasks.length } });
  const names = tasks.map((t) => t.name);
  const level = levels(names, edges);
  const large = tasks.length > LARGE;
  const phases = new Map();
  const position = large ? layered(names, edges, level) : null;
  const nodes = new DataSet(tasks.map((t) => {
    phases.set(t.name, t.phase || null);
    const node = { id: t.name, label: t.name, level: level.get(t.name), color: colorFor(t.phase) };
    if (position) Object.assign(node, position.get(t.name));
    return node;
  }));
  const edgeSet = new DataSet(edges.map((e, i) => ({ id: i, from: e.from, to: e.to })));
  container.dataset.drawn = 'false';
  const network = new Network(container, { nodes, edges: edgeSet }, {
    autoResize: true,
    layout: {
      improvedLayout: false,
      hierarchical: {
        enabled: !large,
        direction: 'LR',
        sortMethod: 'directed',
        levelSeparation: 190,
        nodeSpacing: large ? 38 : 60,
        treeSpacing: large ? 40 : 80,
        blockShifting: !large,
        edgeMinimization: !large,
        parentCentralization: !large,
      },
    },
    physics: { enabled: false },
    nodes: {
      shape: 'box',
      margin: 8,
      borderWidth: 1,
      borderWidthSelected: 3,
      widthConstraint: { maximum: 170 },
      font: { face: 'system-ui, sans-serif', size: 14, color: '#111827' },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.6 } },
      color: { color: '#64748b', highlight: '#000000' },
      width: 1,
      smooth: large ? false : { enabled: true, type: 'cubicBezier', forceDirection: 'horizontal', roundness: 0.4 },
    },
    interaction: {
      hover: false,
      keyboard: { enabled: true, bindToWindow: false },
      navigationButtons: true,
      hideEdgesOnDrag: large,
      hideEdgesOnZoom: large,
      tooltipDelay: 200,
    },
  });
  network.once('afterDrawing', () => {
    const ms = performance.now() - started;
    container.dataset.drawn = 'true';
    container.dataset.drawMs = String(Math.round(ms));
    performance.mark('kontroler:graph-drawn', { detail: { tasks: tasks.length, ms } });
  });
  network.on('click', (params) => {
    if (params.nodes.length > 0 && onSelect) onSelect(String(params.nodes[0]));
  });

  let pending = new Map();
  let frame = 0;
  const flush = () => {
    frame = 0;
    const changes = [];
    for (const [name, phase] of pending) changes.push({ id: name, color: colorFor(phase) });
    pending = new Map();
    nodes.update(changes);
    container.dataset.phases = summary();
  };
  const summary = () => {
    const counts = {};
    for (const p of phases.values()) if (p) counts[p] = (counts[p] || 0) + 1;
    return Object.entries(counts).map(([p, n]) => `${p}:${n}`).sort().join(' ');
  };
  container.dataset.phases = summary();

  const view = {
    network,
    nodes,
    /** Colours one task by its phase; changes are applied together on the next frame. */
    setPhase(name, phase) {
      if (!phases.has(name) || phases.get(name) === phase) return;
      phases.set(name, phase);
      pending.set(name, phase);
      if (!frame) frame = requestAnimationFrame(flush);
    },
    setPhases(byName) {
      for (const [name, phase] of Object.entries(byName)) view.setPhase(name, phase);
    },
    phaseOf: (name) => phases.get(name) || null,
    colorOf: (name) => {
      const node = nodes.get(name);
      return node ? node.color.background : null;
    },
    /** Selects a task and brings it into view. */
    select(name) {
      if (!phases.has(name)) return;
      network.selectNodes([name]);
      network.focus(name, { scale: Math.max(network.getScale(), 0.8), animation: false });
    },
    fit: () => network.fit({ animation: false }),
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      network.destroy();
      delete container.kontrolerGraph;
    },
  };
  container.kontrolerGraph = view;
  return view;
}

/**
 * Positions for a layered drawing, left to right: x by level; within a level, tasks ordered by
 * the mean position of their upstream tasks (one sweep), so edges mostly run straight.
 */
export function layered(names, edges, level) {
  const up = new Map(names.map((n) => [n, []]));
  for (const { from, to } of edges) if (up.has(to) && up.has(from)) up.get(to).push(from);
  const byLevel = [];
  for (const n of names) {
    const l = level.get(n);
    (byLevel[l] || (byLevel[l] = [])).push(n);
  }
  const rank = new Map();
  const position = new Map();
  byLevel.forEach((members, l) => {
    const key = new Map(members.map((n, i) => {
      const ups = up.get(n);
      return [n, ups.length ? ups.reduce((a, u) => a + rank.get(u), 0) / ups.length : i];
    }));
    members.sort((a, b) => key.get(a) - key.get(b));
    const offset = (members.length - 1) / 2;
    members.forEach((n, i) => {
      rank.set(n, i);
      position.set(n, { x: l * LEVEL_SEPARATION, y: (i - offset) * NODE_SPACING });
    });
  });
  return position;
}

/** A legend of the phase colours. */
export function legend(h) {
  return h('ul', { class: 'legend', 'aria-label': 'Phase colours' },
    Object.entries(PHASE_COLORS).map(([phase, c]) =>
      h('li', null, h('span', { class: 'swatch', style: { background: c.background, borderColor: c.border } }), phase)));
}
