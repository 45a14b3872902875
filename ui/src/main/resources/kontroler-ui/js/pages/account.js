// The signed-in user's account: change one's own password.

import * as api from '../api.js';
import { h, mount, problems, showInfo, titled } from '../dom.js';

export async function render({ el, session }) {
  const current = h('input', { id: 'current-password', type: 'password', required: true, autocomplete: 'current-password' });
  const fresh = h('input', { id: 'new-password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const again = h('input', { id: 'new-password-again', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const errors = h('div');
  const form = h('form', { class: 'card inline-form', 'aria-labelledby': 'pw-title' },
    h('h2', { id: 'pw-title' }, 'Change your password'),
    h('div', { class: 'field' }, h('label', { for: 'current-password' }, 'Current password'), current),
    h('div', { class: 'field' }, h('label', { for: 'new-password' }, 'New password (8 characters or more)'), fresh),
    h('div', { class: 'field' }, h('label', { for: 'new-password-again' }, 'New password again'), again),
    errors,
    h('button', { type: 'submit', class: 'primary' }, 'Change password'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    mount(errors);
    if (fresh.value !== again.value) {
      mount(errors, problems({ errors: [{ path: '', message: 'The two new passwords differ.' }] }));
      return;
    }
    try {
      await api.changePassword(session.user.username, current.value, fresh.value);
      form.reset();
      showInfo('Password changed. Every session and token of yours has ended: log in again with the new password.');
    } catch (e) {
      mount(errors, problems(e));
    }
  });
  mount(el, titled(`Account ${session.user.username}`),
    h('p', null, `Role: ${session.user.role}`), form);
}
