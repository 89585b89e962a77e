// The console's REST API, same origin with the session cookie; a 401 shows the sign-in form.
import { showAuth } from './auth.js';

export class AuthRequired extends Error {}

export async function api(path, options = {}) {
  const res = await fetch(`api/${path}`, {
    credentials: 'same-origin',
    method: options.method,
    body: options.body,
    headers: options.body ? { 'content-type': 'application/json' } : undefined,
  });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && !options.signingIn) {
    showAuth(false);
    throw new AuthRequired('sign in first');
  }
  if (!res.ok) {
    const problems = body && body.problems ? `: ${body.problems.join('; ')}` : '';
    throw new Error(`${(body && body.message) || `HTTP ${res.status}`}${problems}`);
  }
  return body;
}
