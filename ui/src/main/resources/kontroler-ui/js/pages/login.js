// The login page: a username and password form; afterwards, back to the page that was asked for.

import * as api from '../api.js';
import { h, mount, problems } from '../dom.js';
import { signedIn } from '../main.js';

export async function render({ el, session, next, navigate }) {
  if (session.user) {
    navigate(next, { replace: true });
    return;
  }
  document.title = 'Log in · Kontroler';
  const errors = h('div', { id: 'login-errors' });
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', id: 'login-submit', class: 'primary' }, 'Log in');
  const form = h('form', { class: 'login card', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Kontroler'),
    h('p', { class: 'muted' }, 'Log in to see and run your workflows.'),
    h('label', { for: 'username' }, 'Username'), username,
    h('label', { for: 'password' }, 'Password'), password,
    errors,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    mount(errors);
    try {
      const answer = await api.login(username.value, password.value);
      const user = (await api.me()) || { username: answer.username, role: answer.role };
      await signedIn(user, next);
    } catch (e) {
      mount(errors, problems(e));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  mount(el, form);
  username.focus();
}
