// The DAG graph: vis-network with a hierarchical left-to-right layout and no physics. Levels are
// computed here (longest path from a root, O(tasks + edges)) so the layout never has to guess.
// Phase changes update node colours in place through the DataSet; the graph is never redrawn
// from scratch on an event. Exit tasks (spec.onExit) are drawn apart, after the main graph:
// their own levels start after its last level, with dashed borders, and dashed edges lead from
// the main graph's last tasks to them. A task skipped because its `when` was false has a pale,
// dotted node; one skipped by its trigger rule (an upstream outcome) keeps the Skipped colour.

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
/** A task skipped because its condition (`when`) was false: paler, with a dotted border. */
export const CONDITION_SKIPPED = { background: '#faf5ff', border: '#6b21a8' };
const DEFINITION = { background: '#f8fafc', border: '#334155' };
const EXIT_BORDER = [6, 3];
const CONDITION_BORDER = [2, 3];
const HIGHLIGHT = { background: '#fef9c3', border: '#000000' };

/**
 * Graphs with more tasks than this get their layered left-to-right layout computed here in
 * O(tasks + edges) (vis-network's hierarchical layout costs seconds on thousands of nodes), and
 * straight edges.
 */
const LARGE = 300;
const LEVEL_SEPARATION = 190;
const NODE_SPACING = 44;

function colorFor(phase, skip) {
  const c = skip === 'condition' ? CONDITION_SKIPPED : PHASE_COLORS[phase] || DEFINITION;
  return { ...c, highlight: HIGHLIGHT, hover: c };
}

/**
 * Why a skipped task was skipped, from its message: 'condition' (its `when` was false),
 * 'trigger' (its trigger rule, that is its upstream outcomes), else null.
 */
export function skipKind(task) {
  if (!task || task.phase !== 'Skipped' || !task.message) return null;
  if (task.message.startsWith('condition false: ')) return 'condition';
  if (task.message.startsWith('trigger rule ')) return 'trigger';
  return null;
}

function borderFor(exit, skip) {
  if (skip === 'condition') return CONDITION_BORDER;
  return exit ? EXIT_BORDER : false;
}

/**
 * The levels of the main tasks, then those of the exit tasks after the main graph's last level,
 * and the dashed edges from the main graph's last tasks (those nothing main runs after) to the
 * exit tasks that run after nothing.
 */
export function withExitTasks(tasks, edges) {
  const exit = new Set(tasks.filter((t) => t.exit).map((t) => t.name));
  const main = tasks.filter((t) => !exit.has(t.name)).map((t) => t.name);
  const mainEdges = edges.filter((e) => !exit.has(e.from) && !exit.has(e.to));
  const level = levels(main, mainEdges);
  if (exit.size === 0) return { level, edges: edges.map((e) => ({ ...e })) };
  const exitNames = tasks.filter((t) => exit.has(t.name)).map((t) => t.name);
  const exitEdges = edges.filter((e) => exit.has(e.from) && exit.has(e.to));
  const after = main.length ? Math.max(...level.values()) + 1 : 0;
  for (const [name, l] of levels(exitNames, exitEdges)) level.set(name, after + l);
  const hasDown = new Set(mainEdges.map((e) => e.from));
  const sinks = main.filter((n) => !hasDown.has(n));
  const hasUp = new Set(exitEdges.map((e) => e.to));
  const roots = exitNames.filter((n) => !hasUp.has(n));
  const drawn = mainEdges.map((e) => ({ ...e }));
  for (const e of exitEdges) drawn.push({ ...e, dashes: true });
  for (const s of sinks) for (const r of roots) drawn.push({ from: s, to: r, dashes: true, exitLink: true });
  return { level, edges: drawn };
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
 * Draws a graph in `container`. `tasks` are [{name, phase?, message?, exit?, label?}], `edges`
 * [{from, to}]; `label` (default: the name) is what the node shows.
 * `onSelect(name)` is called when a task is clicked (or chosen with the keyboard).
 * Returns a view with setPhase/setPhases/select/destroy; the first complete drawing sets the
 * performance mark "kontroler:graph-drawn" and `data-drawn` on the container.
 */
export function drawGraph(container, tasks, edges, { onSelect } = {}) {
  const started = performance.now();
  performance.mark('kontroler:graph-start', { detail: { tasks: tasks.length } });
  const names = tasks.map((t) => t.name);
  const drawing = withExitTasks(tasks, edges);
  const level = drawing.level;
  const large = tasks.length > LARGE;
  const phases = new Map();
  const skips = new Map();
  const exits = new Set(tasks.filter((t) => t.exit).map((t) => t.name));
  const position = large ? layered(names, drawing.edges, level) : null;
  const nodes = new DataSet(tasks.map((t) => {
    phases.set(t.name, t.phase || null);
    const skip = skipKind(t);
    skips.set(t.name, skip);
    const node = {
      id: t.name,
      label: t.label || t.name,
      level: level.get(t.name),
      color: colorFor(t.phase, skip),
      shapeProperties: { borderDashes: borderFor(t.exit, skip) },
    };
    if (t.title) node.title = t.title;
    if (position) Object.assign(node, position.get(t.name));
    return node;
  }));
  const edgeSet = new DataSet(drawing.edges.map((e, i) => ({
    id: i, from: e.from, to: e.to, dashes: Boolean(e.dashes),
  })));
  container.dataset.exitTasks = [...exits].join(' ');
  container.dataset.exitLinks = drawing.edges.filter((e) => e.exitLink).map((e) => `${e.from}>${e.to}`).join(' ');
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
    for (const [name, phase] of pending) {
      const skip = skips.get(name);
      changes.push({
        id: name,
        color: colorFor(phase, skip),
        shapeProperties: { borderDashes: borderFor(exits.has(name), skip) },
      });
    }
    pending = new Map();
    nodes.update(changes);
    container.dataset.phases = summary();
    container.dataset.conditionSkipped = [...skips].filter(([, k]) => k === 'condition').map(([n]) => n).join(' ');
  };
  const summary = () => {
    const counts = {};
    for (const p of phases.values()) if (p) counts[p] = (counts[p] || 0) + 1;
    return Object.entries(counts).map(([p, n]) => `${p}:${n}`).sort().join(' ');
  };
  container.dataset.phases = summary();
  container.dataset.conditionSkipped = [...skips].filter(([, k]) => k === 'condition').map(([n]) => n).join(' ');

  const view = {
    network,
    nodes,
    edges: edgeSet,
    /**
     * Colours one task by its phase (and, when skipped, by why: `message`); changes are applied
     * together on the next frame.
     */
    setPhase(name, phase, message) {
      if (!phases.has(name)) return;
      const skip = skipKind({ phase, message });
      if (phases.get(name) === phase && skips.get(name) === skip) return;
      phases.set(name, phase);
      skips.set(name, skip);
      pending.set(name, phase);
      if (!frame) frame = requestAnimationFrame(flush);
    },
    /** Changes a task's label (a fan-out task shows its instances' progress in it). */
    setLabel(name, label) {
      if (!phases.has(name)) return;
      const node = nodes.get(name);
      if (node && node.label !== label) nodes.update({ id: name, label });
    },
    labelOf: (name) => nodes.get(name)?.label ?? null,
    /** Changes a task's tooltip (null: none). */
    setTitle(name, title) {
      if (!phases.has(name)) return;
      const node = nodes.get(name);
      // an empty title shows no tooltip
      if (node && (node.title || null) !== title) nodes.update({ id: name, title: title || '' });
    },
    titleOf: (name) => nodes.get(name)?.title || null,
    setPhases(byName) {
      for (const [name, phase] of Object.entries(byName)) view.setPhase(name, phase);
    },
    phaseOf: (name) => phases.get(name) || null,
    skipOf: (name) => skips.get(name) || null,
    levelOf: (name) => level.get(name),
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

/** A legend of the phase colours, of condition-skipped tasks and of exit tasks. */
export function legend(h) {
  const swatch = (c, extra) => h('span', { class: `swatch${extra ? ` ${extra}` : ''}`, style: { background: c.background, borderColor: c.border } });
  return h('ul', { class: 'legend', 'aria-label': 'Phase colours' },
    Object.entries(PHASE_COLORS).map(([phase, c]) =>
      h('li', null, swatch(c), phase === 'Skipped' ? 'Skipped (upstream)' : phase)),
    h('li', null, swatch(CONDITION_SKIPPED, 'dotted'), 'Skipped (condition false)'),
    h('li', null, swatch(DEFINITION, 'dashed'), 'Exit task'));
}
