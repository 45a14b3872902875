// Users (admins only): the list, a new user with a role, another role for a user, and deleting one.

import * as api from '../api.js';
import { actionButton, h, mount, problems, showError, showInfo, timeEl, titled } from '../dom.js';

const ROLES = ['viewer', 'editor', 'admin'];

export async function render({ el, session, isCurrent }) {
  if (!session.can('admin')) {
    mount(el, titled('Users'), h('p', null, 'Only an admin can manage users.'));
    return;
  }
  const tableSlot = h('div');
  const errors = h('div');
  const username = h('input', { id: 'new-username', name: 'username', required: true, autocomplete: 'off' });
  const password = h('input', { id: 'new-password', name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const role = h('select', { id: 'new-role', name: 'role' }, ROLES.map((r) => h('option', { value: r }, r)));
  const form = h('form', { class: 'card inline-form', 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'New user'),
    h('div', { class: 'field' }, h('label', { for: 'new-username' }, 'Username'), username),
    h('div', { class: 'field' }, h('label', { for: 'new-password' }, 'Password (8 characters or more)'), password),
    h('div', { class: 'field' }, h('label', { for: 'new-role' }, 'Role'), role),
    errors,
    h('button', { type: 'submit', class: 'primary' }, 'Create user'));
  const roleCell = (u) => {
    if (u.username === session.user.username) return u.role;
    const select = h('select', { 'aria-label': `Role of ${u.username}`, class: 'role-select' },
      ROLES.map((r) => h('option', { value: r, selected: r === u.role }, r)));
    select.addEventListener('change', async () => {
      try {
        await api.setRole(u.username, select.value);
        showInfo(`${u.username} is now ${select.value}`);
      } catch (e) {
        showError(e);
        select.value = u.role;
      }
    });
    return select;
  };
  const load = async () => {
    const list = await api.users();
    if (!isCurrent()) return;
    mount(tableSlot, h('table', { class: 'list', id: 'user-table' },
      h('thead', null, h('tr', null, ['Username', 'Role', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, list.map((u) => h('tr', { dataset: { user: u.username } },
        h('td', null, u.username), h('td', null, roleCell(u)), h('td', null, timeEl(u.createdAt)),
        h('td', null, u.username === session.user.username ? h('span', { class: 'muted' }, 'you') :
          actionButton(`Delete`, async () => {
            if (!confirm(`Delete the user ${u.username}?`)) return;
            await api.deleteUser(u.username);
            showInfo(`Deleted ${u.username}`);
            await load();
          }, { class: 'danger', 'aria-label': `Delete ${u.username}` })))))));
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    mount(errors);
    try {
      await api.createUser(username.value.trim(), password.value, role.value);
      showInfo(`Created ${username.value.trim()} (${role.value})`);
      form.reset();
      await load();
    } catch (e) {
      mount(errors, problems(e));
    }
  });
  mount(el, titled('Users'), tableSlot, form);
  await load();
}
