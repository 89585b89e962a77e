// Sign-in and first-run set-up (the first administrator, with the setup code from the console's log).
import { api } from './api.js';
import { $, state } from './state.js';

export function showAuth(needsSetup) {
  state.source?.close();
  state.source = null;
  $('#auth').hidden = false;
  $('#auth').dataset.mode = needsSetup ? 'setup' : 'login';
  $('#auth-title').textContent = needsSetup ? 'Set up the console' : 'Sign in';
  $('#auth-hint').textContent = needsSetup
    ? 'No account exists yet. Choose the user name and password of the first administrator (at least 10 characters), and enter the setup code the console printed in its log when it started.'
    : 'Sign in with your Vigil account.';
  $('#auth-password').autocomplete = needsSetup ? 'new-password' : 'current-password';
  $('#auth-password').minLength = needsSetup ? 10 : 1;
  $('#auth-submit').textContent = needsSetup ? 'Create administrator' : 'Sign in';
  $('#auth-setup-code').required = needsSetup;
  $('#auth-error').hidden = true;
  $('#auth-username').focus();
}

/** Wires the sign-in form and the sign-out button; `onSignedIn` gets the user. */
export function initAuth(onSignedIn) {
  $('#auth-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const setup = $('#auth').dataset.mode === 'setup';
    const error = $('#auth-error');
    error.hidden = true;
    try {
      const body = await api(setup ? 'setup' : 'login', {
        method: 'POST',
        signingIn: true,
        body: JSON.stringify({
          username: $('#auth-username').value.trim(),
          password: $('#auth-password').value,
          ...(setup ? { setupCode: $('#auth-setup-code').value.trim() } : {}),
        }),
      });
      $('#auth-password').value = '';
      $('#auth').hidden = true;
      onSignedIn(body.user);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });

  $('#logout').addEventListener('click', async () => {
    await api('logout', { method: 'POST' }).catch(() => undefined);
    state.user = null;
    showAuth(false);
  });
}
