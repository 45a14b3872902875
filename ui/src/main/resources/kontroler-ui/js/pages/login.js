// The login page: a username and password form, and "Sign in with …" when the api has a single
// sign-on provider; afterwards, back to the page that was asked for.

import * as api from '../api.js';
import { h, mount, problems } from '../dom.js';
import { signedIn } from '../main.js';

/** What the api's callback means by each ?sso-error= reason; the details are in the api's log. */
const SSO_ERRORS = {
  state: 'The sign-in could not be matched to this browser (it took too long, or was started elsewhere). Please try again.',
  provider: 'The identity provider did not complete the sign-in. Please try again, or use a local account.',
  token: 'The identity provider\'s answer could not be verified.',
  denied: 'You signed in, but none of your groups is allowed into Kontroler. Ask an administrator for access.',
  taken: 'A local account already has your user name; it is not taken over. Ask an administrator.',
  username: 'The identity provider named no usable user name.',
};

export async function render({ el, session, next, navigate, query }) {
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
  const reason = query.get('sso-error');
  if (reason) mount(errors, h('ul', { class: 'problems' }, h('li', null, SSO_ERRORS[reason] || 'Single sign-on failed.')));
  if (session.sso) {
    const sso = h('button', { type: 'button', id: 'sso-login', class: 'sso' }, `Sign in with ${session.sso}`);
    sso.addEventListener('click', async () => {
      sso.disabled = true;
      mount(errors);
      try {
        location.assign(await api.startSignOn(next));
      } catch (e) {
        mount(errors, problems(e));
        sso.disabled = false;
      }
    });
    form.append(h('p', { class: 'or muted' }, 'or'), sso);
  }
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
