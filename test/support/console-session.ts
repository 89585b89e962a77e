/** A signed-in client of the console's REST API (session cookie kept). */
export interface ConsoleClient {
  cookie: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

async function signIn(baseUrl: string, path: 'setup' | 'login', username: string, password: string, setupCode?: string): Promise<ConsoleClient> {
  const base = baseUrl.replace(/\/+$/, '');
  const res = await fetch(`${base}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(setupCode ? { setupCode } : {}) }),
  });
  if (!res.ok) throw new Error(`${path} as ${username} failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const headers = { cookie, 'content-type': 'application/json' };
  return {
    cookie,
    get: async <T>(p: string) => {
      const r = await fetch(`${base}${p}`, { headers });
      if (!r.ok) throw new Error(`GET ${p}: HTTP ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
    post: async <T>(p: string, body: unknown = {}) => {
      const r = await fetch(`${base}${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json().catch(() => null)) as T };
    },
  };
}

/** The one-time setup code a fresh console prints in its log (`output` is the console's output so far). */
export async function setupCodeOf(waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<string>): Promise<string> {
  const line = await waitForLine(/setup code [A-Z0-9]{5}-[A-Z0-9]{5}/, 30_000);
  return /setup code ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(line)![1];
}

/** First-run set-up of a fresh console with its setup code: creates the admin and returns their session. */
export const setupAdmin = (baseUrl: string, setupCode: string, username = 'admin', password = 'admin-password-1') =>
  signIn(baseUrl, 'setup', username, password, setupCode);
export const login = (baseUrl: string, username: string, password: string) => signIn(baseUrl, 'login', username, password);
