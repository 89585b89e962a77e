/** A signed-in client of the console's REST API (session cookie kept). */
export interface ConsoleClient {
  cookie: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

async function signIn(baseUrl: string, path: 'setup' | 'login', username: string, password: string): Promise<ConsoleClient> {
  const base = baseUrl.replace(/\/+$/, '');
  const res = await fetch(`${base}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
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

/** First-run set-up of a fresh console: creates the admin and returns their session. */
export const setupAdmin = (baseUrl: string, username = 'admin', password = 'admin-password-1') => signIn(baseUrl, 'setup', username, password);
export const login = (baseUrl: string, username: string, password: string) => signIn(baseUrl, 'login', username, password);
