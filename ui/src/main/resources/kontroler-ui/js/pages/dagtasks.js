// DagTasks: the list, and one DagTask with every version and its spec as YAML.

import * as api from '../api.js';
import { dump } from '../../vendor/js-yaml.mjs';
import { h, link, mount, timeEl, titled } from '../dom.js';
import { prune } from './dag.js';

export async function render({ el, params, session, isCurrent }) {
  if (params.name) return one(el, params.namespace, params.name, session, isCurrent);
  const items = await api.listDagTasks();
  if (!isCurrent()) return undefined;
  mount(el,
    h('div', { class: 'page-head' }, titled('DagTasks'),
      session.can('editor') ? h('a', { class: 'button', href: '/editor' }, 'New in the editor') : null),
    items.length === 0 ? h('p', { class: 'muted' }, 'No DagTask yet. A DagTask is a reusable task that DAGs use with taskRef.') :
      h('table', { class: 'list', id: 'dagtask-table' },
        h('thead', null, h('tr', null, ['Name', 'Namespace', 'Latest version'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, items.map((t) => h('tr', null,
          h('td', null, link(`/dagtasks/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.name)}`, t.name)),
          h('td', null, t.namespace),
          h('td', { class: 'num' }, `v${t.latestVersion}`))))));
  return undefined;
}

async function one(el, namespace, name, session, isCurrent) {
  const t = await api.getDagTask(namespace, name);
  if (!isCurrent()) return undefined;
  const versions = [...t.versions].sort((a, b) => b.version - a.version);
  mount(el,
    h('div', { class: 'page-head' }, titled(`DagTask ${name}`), h('span', { class: 'muted' }, `namespace ${namespace}`)),
    versions.map((v) => h('section', { class: 'card', 'aria-label': `Version ${v.version}` },
      h('div', { class: 'page-head' }, h('h2', null, `Version ${v.version}`), timeEl(v.publishedAt),
        session.can('editor') ? h('a', {
          class: 'button', href: `/editor?dagtask=${encodeURIComponent(`${namespace}/${name}`)}&version=${v.version}`,
        }, 'Edit from this version') : null),
      h('pre', { class: 'code' }, dump(prune(v.spec) || {}, { noRefs: true, lineWidth: 100 })))));
  return undefined;
}
