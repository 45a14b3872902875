// Shared pools: each pool's slots, the slots in use and the tasks waiting, with the attempts that
// hold a slot; admins set a pool's slots (a new pool is defined by setting its slots).

import * as api from '../api.js';
import { actionButton, h, link, mount, problems, runHref, showInfo, timeEl, titled } from '../dom.js';

const REFRESH_MS = 3000;

export async function render({ el, session, isCurrent }) {
  const admin = session.can('admin');
  const tableSlot = h('div', { id: 'pools' });
  const errors = h('div');
  const name = h('input', { id: 'new-pool-name', name: 'name', required: true, autocomplete: 'off' });
  const slots = h('input', { id: 'new-pool-slots', name: 'slots', type: 'number', min: 0, max: 10000, required: true, value: '1', class: 'slots-input' });
  const form = admin ? h('form', { class: 'card inline-form', 'aria-labelledby': 'new-pool-title' },
    h('h2', { id: 'new-pool-title' }, 'Set a pool\'s slots'),
    h('p', { class: 'muted' }, 'At most this many tasks that name the pool run at once, whatever their DAG; 0 holds them all.'),
    h('div', { class: 'field' }, h('label', { for: 'new-pool-name' }, 'Pool'), name),
    h('div', { class: 'field' }, h('label', { for: 'new-pool-slots' }, 'Slots'), slots),
    errors,
    h('button', { type: 'submit', class: 'primary', id: 'new-pool-submit' }, 'Set slots')) : null;

  const setSlots = async (pool, value) => {
    const sent = await api.setPoolSlots(pool, Number(value));
    showInfo(`Pool ${sent.pool} set to ${sent.slots} slots; its owner applies it at once`);
  };
  const slotsCell = (p) => {
    if (!admin) return String(p.slots);
    const input = h('input', {
      type: 'number', min: 0, max: 10000, value: String(p.slots), class: 'slots-input',
      id: `slots-${p.name}`, 'aria-label': `Slots of ${p.name}`,
    });
    return h('span', null, input, ' ', actionButton('Set slots', () => setSlots(p.name, input.value),
      { id: `set-slots-${p.name}`, 'aria-label': `Set the slots of ${p.name}` }));
  };
  const holders = (p) => (p.holders.length === 0 ? h('span', { class: 'muted' }, 'none') :
    h('ul', { class: 'pool-holders' }, p.holders.map((x) => h('li', null,
      link(runHref(x.runId), `${x.dag} ${x.runId}`), ' ', h('code', null, x.task), ` attempt ${x.attempt}, since `,
      timeEl(x.since), ', lease until ', timeEl(x.leaseUntil)))));
  let editing = false;
  const load = async () => {
    // an admin typing a number keeps it: the table is not redrawn under their cursor
    if (editing) return;
    const list = await api.pools();
    if (!isCurrent()) return;
    mount(tableSlot, list.length === 0 ? h('p', { class: 'muted', id: 'no-pools' },
      'No pool yet: a pool appears once a task names it or an admin sets its slots.') :
      h('table', { class: 'list', id: 'pool-table' },
        h('thead', null, h('tr', null, ['Pool', 'Slots', 'In use', 'Waiting', 'Holders'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, list.map((p) => h('tr', {
          dataset: { pool: p.name, slots: String(p.slots), inUse: String(p.inUse), waiting: String(p.waiting) },
        },
        h('td', null, p.name, p.defined ? null : h('small', { class: 'muted' }, ' not defined')),
        h('td', null, slotsCell(p)),
        h('td', { class: 'num' }, String(p.inUse)),
        h('td', { class: 'num' }, String(p.waiting)),
        h('td', null, holders(p)))))));
  };
  tableSlot.addEventListener('focusin', () => { editing = true; });
  tableSlot.addEventListener('focusout', () => { editing = false; });
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    mount(errors);
    try {
      await setSlots(name.value.trim(), slots.value);
      form.reset();
    } catch (e) {
      mount(errors, problems(e));
    }
  });
  mount(el, titled('Pools'),
    h('p', { class: 'muted' }, 'Shared pools limit how many tasks of any DAGs run at once; the others wait in the order they became ready.'),
    tableSlot, form);
  await load();
  const timer = setInterval(() => load().catch(() => {}), REFRESH_MS);
  return () => clearInterval(timer);
}
