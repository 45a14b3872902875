// The DAG editor: YAML text validated by the API as you type (debounced), each problem shown
// on its line, and Apply; beside it the first DAG drawn as a graph that can be changed by hand
// (dageditor.js), written back into the text. Opens an existing DAG (?dag=ns/name) or DagTask (?dagtask=ns/name).

import * as api from '../api.js';
import { dump } from '../../vendor/js-yaml.mjs';
import { dagHref, debounce, h, mount, problems, showInfo, titled } from '../dom.js';
import { dagGraphEditor } from '../dageditor.js';
import { lineOf, scan } from '../yamlpaths.js';
import { prune } from './dag.js';

const API_VERSION = 'kontroler.greedykomodo/v1alpha1';

const SAMPLE = `apiVersion: ${API_VERSION}
kind: DAG
metadata:
  name: example
spec:
  schedule: ""
  parameters:
    - name: greeting
      defaultValue: hello
  task:
    - name: first
      image: alpine:3.20
      command: ["sh", "-c", "echo $greeting from first"]
      parameters: [greeting]
    - name: second
      image: alpine:3.20
      command: ["sh", "-c", "echo second"]
      runAfter: [first]
`;

export async function render({ el, query, session, isCurrent }) {
  const text = await initialText(query);
  if (!isCurrent()) return undefined;
  const canApply = session.can('editor');
  const area = h('textarea', {
    id: 'editor-text', spellcheck: 'false', wrap: 'off', autocomplete: 'off', autocapitalize: 'off',
    'aria-label': 'YAML documents', 'aria-describedby': 'editor-status',
  });
  area.value = text;
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const backdrop = h('div', { class: 'backdrop', 'aria-hidden': 'true' });
  const status = h('p', { id: 'editor-status', class: 'status', role: 'status' }, 'Checking…');
  const list = h('div', { id: 'editor-problems' });
  const result = h('div', { id: 'editor-result' });
  const apply = h('button', { type: 'button', class: 'primary', id: 'editor-apply' }, 'Apply');
  const graphSlot = h('section', { class: 'card graph-editor', 'aria-label': 'The DAG as a graph' });
  mount(el,
    h('div', { class: 'page-head' }, titled('DAG editor'),
      h('span', { class: 'muted' }, 'DAG, DagTask and WorkFlow documents; separate several with ---.' +
        ' Tab indents; Esc then Tab leaves the text.')),
    h('div', { class: 'editor-split' },
      h('div', { class: 'editor card' }, gutter, h('div', { class: 'editor-body' }, backdrop, area)),
      graphSlot),
    status, list,
    canApply ? h('div', { class: 'actions' }, apply) : h('p', { class: 'muted' }, 'Viewers may validate but not apply.'),
    result);

  let marks = new Map(); // line -> [problem]
  const drawLines = () => {
    const lines = area.value.split('\n');
    mount(gutter, lines.map((_, i) => h('div', {
      class: marks.has(i) ? 'ln error' : 'ln', title: marks.has(i) ? marks.get(i).map((p) => p.message).join('\n') : null,
    }, marks.has(i) ? `⚠ ${i + 1}` : String(i + 1))));
    mount(backdrop, lines.map((line, i) => marks.has(i) ?
      h('div', { class: 'bl error-line', dataset: { line: i + 1 } },
        h('span', { class: 'shadow' }, line || ' '),
        h('span', { class: 'inline-error' }, `  ⟵ ${marks.get(i).map((p) => p.message).join('; ')}`)) :
      h('div', { class: 'bl' }, line || ' ')));
    syncScroll();
  };
  const syncScroll = () => {
    backdrop.style.transform = `translate(${-area.scrollLeft}px, ${-area.scrollTop}px)`;
    gutter.scrollTop = area.scrollTop;
  };
  area.addEventListener('scroll', syncScroll);

  const graph = dagGraphEditor(graphSlot, {
    read: () => area.value,
    write: (yaml) => {
      area.value = yaml;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    },
  });

  const showProblems = (e) => {
    graph.markProblems(e.errors);
    const docs = scan(area.value);
    marks = new Map();
    const items = (e.errors || []).map((p) => {
      const line = lineOf(docs, p);
      if (line !== null) marks.set(line, [...(marks.get(line) || []), p]);
      return { p, line };
    });
    drawLines();
    mount(list, h('ul', { class: 'problems', 'aria-label': 'Problems' }, items.map(({ p, line }) => h('li', null,
      line === null ? '' : h('button', { type: 'button', class: 'link', onclick: () => goToLine(area, line) }, `Line ${line + 1}`),
      line === null ? '' : ' · ',
      p.path ? h('code', null, p.path) : null, p.path ? ': ' : '', p.message))));
  };
  const clearProblems = () => {
    graph.markProblems([]);
    marks = new Map();
    drawLines();
    mount(list);
  };

  let seq = 0;
  let inflight = null;
  const validate = async () => {
    const mine = ++seq;
    inflight?.abort();
    inflight = new AbortController();
    status.textContent = 'Checking…';
    status.className = 'status';
    try {
      const answer = await api.validateDocuments(area.value, inflight.signal);
      if (mine !== seq) return;
      clearProblems();
      const docs = answer && answer.documents ? answer.documents : [];
      status.textContent = `Valid: ${docs.map((d) => `${d.kind} ${d.namespace}/${d.name} ` +
        (d.changed ? `(would become v${d.version})` : `(unchanged, v${d.version})`)).join(', ') || 'no documents'}`;
      status.className = 'status ok';
    } catch (e) {
      if (e.name === 'AbortError' || mine !== seq) return;
      if (e.status === 400) {
        status.textContent = `${e.errors.length} problem${e.errors.length === 1 ? '' : 's'}`;
        status.className = 'status bad';
        showProblems(e);
      } else {
        status.textContent = 'The documents could not be checked.';
        status.className = 'status bad';
        mount(list, problems(e));
      }
    }
  };
  const later = debounce(validate, 400);
  area.addEventListener('input', () => {
    drawLines();
    graph.refresh();
    status.textContent = 'Editing…';
    status.className = 'status';
    later();
  });
  area.addEventListener('keydown', (e) => {
    // Tab indents by two spaces; Escape then Tab leaves the editor (keyboard users are not trapped).
    if (e.key === 'Tab' && !e.shiftKey && !area.dataset.escaped) {
      e.preventDefault();
      // insertText keeps the browser's undo history; setRangeText where it is not supported.
      if (!document.execCommand('insertText', false, '  ')) {
        area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
        area.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }
    if (e.key === 'Escape') area.dataset.escaped = 'true';
    else if (e.key !== 'Tab') delete area.dataset.escaped;
  });

  apply.addEventListener('click', async () => {
    apply.disabled = true;
    mount(result);
    try {
      const answer = await api.applyDocuments(area.value);
      clearProblems();
      const applied = answer.applied || [];
      showInfo(`Applied ${applied.length} document${applied.length === 1 ? '' : 's'}`);
      mount(result, h('div', { class: 'card ok', id: 'apply-result', role: 'status' },
        h('h2', null, 'Applied'),
        h('ul', null, applied.map((d) => h('li', null,
          d.kind === 'DagTask' ? h('a', { href: `/dagtasks/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.name)}` }, `DagTask ${d.namespace}/${d.name}`) :
            h('a', { href: dagHref(`${d.namespace}/${d.name}`) }, `${d.kind} ${d.namespace}/${d.name}`),
          ` v${d.version}${d.changed ? ' (new version)' : ' (unchanged)'}`)))));
      status.textContent = 'Applied.';
      status.className = 'status ok';
    } catch (e) {
      status.textContent = e.status === 400 ? `${e.errors.length} problem${e.errors.length === 1 ? '' : 's'}: nothing applied` : 'Not applied';
      status.className = 'status bad';
      if (e.status === 400) showProblems(e);
      else mount(list, problems(e));
    } finally {
      apply.disabled = false;
    }
  });

  drawLines();
  validate();
  return () => {
    inflight?.abort();
    graph.destroy();
  };
}

function goToLine(area, line) {
  const lines = area.value.split('\n');
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + lines[line].length);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
  area.scrollTop = Math.max(0, line * lineHeight - area.clientHeight / 3);
}

/** The text to start from: an existing DAG or DagTask as YAML, or a small example. */
async function initialText(query) {
  const dag = query.get('dag');
  const task = query.get('dagtask');
  if (dag) {
    const d = await api.getDag(dag, query.get('version') || undefined);
    const spec = prune({ ...d.spec, suspended: d.spec.suspended || undefined });
    return dump({ apiVersion: API_VERSION, kind: 'DAG', metadata: { name: d.name, namespace: d.namespace }, spec },
      { noRefs: true, lineWidth: 120 });
  }
  if (task) {
    const [ns, name] = task.split('/', 2);
    const t = await api.getDagTask(ns, name);
    const wanted = Number(query.get('version')) || Math.max(...t.versions.map((v) => v.version));
    const v = t.versions.find((x) => x.version === wanted) || t.versions[t.versions.length - 1];
    return dump({ apiVersion: API_VERSION, kind: 'DagTask', metadata: { name, namespace: ns }, spec: prune(v.spec) },
      { noRefs: true, lineWidth: 120 });
  }
  return SAMPLE;
}
