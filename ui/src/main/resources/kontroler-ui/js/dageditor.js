// Drawing a DAG: the first DAG document of the editor's YAML as a graph that can be changed.
// Start from an empty canvas with New (a DAG of no task, named as the DAG field says), add a task (name, image, command or script) in the side form, drag from one task to another in
// Connect mode to make the second run after the first, select a task or a link and Delete it, or
// select a task to edit its fields. Every change is written back as YAML into the editor (which
// validates and applies it as ever), and every edit of the YAML redraws the graph: the text stays
// the one source. Problems the api reports on spec.task[i] mark that task's node.

import { DataSet, Network } from '../vendor/vis-network.min.js';
import { dump, load, loadAll } from '../vendor/js-yaml.mjs';
import { h, mount } from './dom.js';

const PLAIN = { background: '#f8fafc', border: '#334155', highlight: { background: '#fef9c3', border: '#000000' } };
const FAULT = { background: '#fee2e2', border: '#b91c1c', highlight: { background: '#fecaca', border: '#7f1d1d' } };
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The documents of `text`, and the index of the first DAG among them (-1: none). */
export function parseDocuments(text) {
  const docs = loadAll(text).filter((d) => d !== null && d !== undefined);
  return { docs, at: docs.findIndex((d) => d && d.kind === 'DAG') };
}

/** The YAML of `docs`, separated as the editor expects. */
export function writeDocuments(docs) {
  return docs.map((d) => dump(d, { noRefs: true, lineWidth: 120 })).join('---\n');
}

/** A task's command as one line of YAML flow text (["sh", "-c", "echo hi"]). */
function commandText(task) {
  return Array.isArray(task.command) ? JSON.stringify(task.command).replace(/","/g, '", "') : '';
}

/**
 * The graph editor in `container`.
 *
 * @param read the editor's text now
 * @param write replaces the editor's text (and has it validated)
 */
export function dagGraphEditor(container, { read, write }) {
  const graphEl = h('div', { class: 'graph', id: 'graph-editor', role: 'application', 'aria-label': 'DAG graph: select, connect or delete tasks' });
  const nameInput = h('input', { id: 'graph-dag-name', 'aria-label': 'DAG name', placeholder: 'DAG name' });
  const connect = h('button', { type: 'button', id: 'graph-connect', 'aria-pressed': 'false' }, 'Connect');
  const remove = h('button', { type: 'button', id: 'graph-delete' }, 'Delete');
  const add = h('button', { type: 'button', id: 'graph-add' }, 'Add task');
  const fresh = h('button', { type: 'button', id: 'graph-new', title: 'Replace the text with a DAG of no task' }, 'New');
  const note = h('p', { class: 'muted', id: 'graph-note', role: 'status' });
  const form = h('form', { class: 'card graph-form', id: 'graph-task-form', hidden: true });
  mount(container,
    h('div', { class: 'toolbar graph-tools' }, h('label', { for: 'graph-dag-name' }, 'DAG'), nameInput, fresh, add, connect, remove),
    h('div', { class: 'graph-edit-layout' }, graphEl, form),
    note);

  const nodes = new DataSet();
  const edges = new DataSet();
  let model = null; // { docs, at }
  let faults = new Map(); // task index -> the api's messages about it
  let editing = null; // the task name in the form; '' for a new task
  let drawn = ''; // what the graph shows now, to redraw only on a change
  const network = new Network(graphEl, { nodes, edges }, {
    autoResize: true,
    layout: { hierarchical: { enabled: true, direction: 'LR', sortMethod: 'directed', levelSeparation: 170, nodeSpacing: 70 } },
    physics: { enabled: false },
    nodes: { shape: 'box', margin: 10, borderWidth: 1, borderWidthSelected: 3, font: { face: 'system-ui, sans-serif', size: 14, color: '#111827' } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.6 } }, color: { color: '#64748b', highlight: '#000000' }, width: 1, selectionWidth: 2 },
    interaction: { hover: false, dragNodes: true, keyboard: { enabled: false }, selectConnectedEdges: false },
    manipulation: {
      enabled: false,
      addEdge: (edge, done) => {
        done(null); // the YAML is the truth: the edge comes back from it, or not at all
        setConnecting(false);
        link(String(edge.from), String(edge.to));
      },
    },
  });

  const dag = () => model.docs[model.at];
  const tasks = () => {
    const spec = dag().spec || (dag().spec = {});
    return spec.task || (spec.task = []);
  };
  const say = (text) => { note.textContent = text; };
  const commit = () => write(writeDocuments(model.docs));

  function setConnecting(on) {
    connect.setAttribute('aria-pressed', String(on));
    graphEl.dataset.mode = on ? 'connect' : 'select';
    if (on) {
      network.addEdgeMode();
      say('Drag from a task to the task that runs after it.');
    } else {
      network.disableEditMode();
    }
  }

  /** An empty canvas: the text becomes one DAG of no task, keeping the name in the DAG field. */
  function startNew() {
    if (model && tasks().length && !window.confirm('Start a new DAG? The text in the editor is replaced.')) return;
    setConnecting(false);
    closeForm();
    const name = nameInput.value.trim() || 'new-dag';
    model = { docs: [{ apiVersion: 'kontroler.greedykomodo/v1alpha1', kind: 'DAG', metadata: { name }, spec: { task: [] } }], at: 0 };
    say('A new DAG: add its first task.');
    commit();
  }

  function link(from, to) {
    if (from === to) return say('A task can not run after itself.');
    const task = tasks().find((t) => t.name === to);
    if (!task) return undefined;
    const after = task.runAfter || [];
    if (after.includes(from)) return say(`${to} already runs after ${from}.`);
    task.runAfter = [...after, from];
    say(`${to} now runs after ${from}.`);
    return commit();
  }

  function removeSelected() {
    const selectedNodes = network.getSelectedNodes().map(String);
    const selectedEdges = network.getSelectedEdges().map(String);
    if (selectedNodes.length) {
      const gone = new Set(selectedNodes);
      dag().spec.task = tasks().filter((t) => !gone.has(t.name));
      for (const t of tasks()) {
        if (t.runAfter) {
          t.runAfter = t.runAfter.filter((up) => !gone.has(up));
          if (t.runAfter.length === 0) delete t.runAfter;
        }
      }
      closeForm();
      say(`Deleted ${selectedNodes.join(', ')}.`);
      return commit();
    }
    if (selectedEdges.length) {
      for (const id of selectedEdges) {
        const [from, to] = id.split('>');
        const task = tasks().find((t) => t.name === to);
        if (task && task.runAfter) {
          task.runAfter = task.runAfter.filter((up) => up !== from);
          if (task.runAfter.length === 0) delete task.runAfter;
        }
      }
      say('Deleted the link.');
      return commit();
    }
    return say('Select a task or a link to delete.');
  }

  function openForm(name) {
    editing = name;
    const task = name ? tasks().find((t) => t.name === name) || {} : {};
    const field = (id, label, input) => [h('label', { for: id }, label), input];
    const taskName = h('input', { id: 'graph-task-name', value: task.name || '', required: true, autocomplete: 'off' });
    const image = h('input', { id: 'graph-task-image', value: task.image || '', placeholder: 'alpine:3.20', autocomplete: 'off' });
    const command = h('input', { id: 'graph-task-command', value: commandText(task), placeholder: '["sh", "-c", "echo hi"]', autocomplete: 'off' });
    const script = h('textarea', { id: 'graph-task-script', rows: 3, placeholder: 'or a shell script' });
    script.value = task.script || '';
    const errors = h('div', { id: 'graph-task-errors' });
    mount(form,
      h('h2', null, name ? `Task ${name}` : 'New task'),
      field('graph-task-name', 'Name', taskName),
      field('graph-task-image', 'Image', image),
      field('graph-task-command', 'Command (a list)', command),
      field('graph-task-script', 'Script', script),
      errors,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'graph-task-save' }, name ? 'Save task' : 'Add'),
        h('button', { type: 'button', onclick: closeForm }, 'Close')));
    form.hidden = false;
    form.onsubmit = (event) => {
      event.preventDefault();
      const problems = [];
      const newName = taskName.value.trim();
      if (!NAME.test(newName)) problems.push('Name: lower-case letters, digits and -, starting and ending with a letter or digit.');
      if (newName !== name && tasks().some((t) => t.name === newName)) problems.push(`Name: there is a task ${newName} already.`);
      let parsed;
      try {
        parsed = command.value.trim() ? load(command.value) : undefined;
        if (parsed !== undefined && (!Array.isArray(parsed) || parsed.some((p) => typeof p !== 'string'))) {
          problems.push('Command: a list of strings, e.g. ["sh", "-c", "echo hi"].');
        }
      } catch (e) {
        problems.push(`Command: ${e.message.split('\n')[0]}`);
      }
      if (problems.length) {
        mount(errors, h('ul', { class: 'problems', role: 'alert' }, problems.map((p) => h('li', null, p))));
        return;
      }
      const target = name ? tasks().find((t) => t.name === name) : { name: newName };
      if (!name) tasks().push(target);
      target.name = newName;
      if (image.value.trim()) target.image = image.value.trim(); else delete target.image;
      if (parsed) target.command = parsed; else delete target.command;
      if (script.value.trim()) target.script = script.value; else delete target.script;
      if (name && newName !== name) {
        for (const t of tasks()) if (t.runAfter) t.runAfter = t.runAfter.map((up) => (up === name ? newName : up));
      }
      closeForm();
      say(name ? `Saved ${newName}.` : `Added ${newName}.`);
      commit();
    };
    taskName.focus();
  }

  function closeForm() {
    editing = null;
    form.hidden = true;
    mount(form);
  }

  /** Draws the graph of the editor's text; leaves the last drawing when the text does not parse. */
  function refresh() {
    let parsed;
    try {
      parsed = parseDocuments(read());
    } catch (e) {
      graphEl.dataset.state = 'unparsed';
      return say('The YAML does not parse; the graph shows it as it last did.');
    }
    if (parsed.at < 0) {
      parsed.docs.push({ apiVersion: 'kontroler.greedykomodo/v1alpha1', kind: 'DAG', metadata: { name: '' }, spec: { task: [] } });
      parsed.at = parsed.docs.length - 1;
    }
    model = parsed;
    const list = (dag().spec && dag().spec.task) || [];
    const names = new Set(list.map((t) => t && t.name).filter(Boolean));
    const seen = new Set(); // a repeated name is the api's to report; it is drawn once
    const wantedNodes = list.map((t, i) => [t, i]).filter(([t]) => t && t.name && !seen.has(t.name) && seen.add(t.name)).map(([t, i]) => ({
      id: t.name, label: t.name, color: faults.has(i) ? FAULT : PLAIN,
      title: faults.has(i) ? faults.get(i).join('\n') : t.image || '',
    }));
    const wantedEdges = list.flatMap((t) => (t && t.name && Array.isArray(t.runAfter) ? t.runAfter : [])
      .filter((up) => names.has(up))
      .map((up) => ({ id: `${up}>${t.name}`, from: up, to: t.name })))
      .filter((e, i, all) => all.findIndex((x) => x.id === e.id) === i);
    // Redrawn only when the drawing changes: a redraw ends a drag in progress, and an answer of
    // the validation (or an edit of another field) must not take the link being drawn away.
    const drawing = JSON.stringify([wantedNodes, wantedEdges]);
    if (drawing !== drawn) {
      drawn = drawing;
      nodes.clear();
      edges.clear();
      nodes.add(wantedNodes);
      edges.add(wantedEdges);
      // new nodes have their size once drawn: draw them, then fit them all into the view
      network.redraw();
      network.fit();
    }
    if (document.activeElement !== nameInput) nameInput.value = (dag().metadata && dag().metadata.name) || '';
    graphEl.dataset.tasks = [...names].join(' ');
    graphEl.dataset.links = edges.getIds().join(' ');
    graphEl.dataset.state = 'drawn';
    if (editing && !names.has(editing)) closeForm();
    return undefined;
  }

  /** Marks the nodes of the tasks that `errors` (the api's problems) point at. */
  function markProblems(errors) {
    faults = new Map();
    for (const p of errors || []) {
      const m = /^spec\.task\[(\d+)\]/.exec(p.path || '');
      if (m) faults.set(Number(m[1]), [...(faults.get(Number(m[1])) || []), p.message]);
    }
    graphEl.dataset.faults = [...faults.keys()].join(' ');
    if (model) refresh();
  }

  nameInput.addEventListener('change', () => {
    if (!model) return;
    dag().metadata = { ...(dag().metadata || {}), name: nameInput.value.trim() };
    commit();
  });
  add.addEventListener('click', () => { setConnecting(false); openForm(''); });
  fresh.addEventListener('click', startNew);
  connect.addEventListener('click', () => setConnecting(connect.getAttribute('aria-pressed') !== 'true'));
  remove.addEventListener('click', removeSelected);
  // The side form opening or closing resizes the graph: show all of it again.
  network.on('resize', () => network.fit());
  network.on('click', (params) => {
    if (graphEl.dataset.mode === 'connect') return;
    if (params.nodes.length) openForm(String(params.nodes[0]));
  });
  graphEl.kontrolerEditor = { network, refresh };
  refresh();
  return { refresh, markProblems, destroy: () => network.destroy() };
}
