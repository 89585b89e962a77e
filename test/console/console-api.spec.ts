import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, setupAdmin, type ConsoleClient } from '../support/console-session';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';

jest.setTimeout(60_000);

/** The console process on its own (real mosquitto, real SQLite): accounts, limits, headers, API docs. */
describe('operator console API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-console-'));
  let broker: Mosquitto;
  let app: Running;
  let url: string;
  let admin: ConsoleClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = join(dir, 'console.yaml');
    writeFileSync(config, `http: { port: ${port} }\nmqtt: { url: "${broker.url}", clientId: api-console, sharedGroup: consoles }\nstorage: { path: "${join(dir, 'console.db')}" }\n`);
    app = startNode('apps/console/src/main.js', ['--config', config]);
    await app.waitForLine(/operator console at/, 30_000);
  });

  afterAll(async () => {
    await app?.stop();
    await broker?.stop();
    await stopAll();
  });

  it('should ask for the first admin once, then refuse a second set-up', async () => {
    const before = (await (await fetch(`${url}/api/session`)).json()) as { needsSetup: boolean; user: unknown };
    expect(before).toEqual({ needsSetup: true, user: null });
    const weak = await fetch(`${url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'short' }) });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { problems: string[] }).problems).toEqual(['password: use at least 10 characters']);
    admin = await setupAdmin(url, 'chief', 'chief-password-1');
    expect(admin.cookie).toMatch(/^vigil_session=/);
    const again = await fetch(`${url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'eve', password: 'eve-password-12' }) });
    expect(again.status).toBe(409);
    const session = await admin.get<{ user: { username: string; role: string } }>('/api/session');
    expect(session.user).toMatchObject({ username: 'chief', role: 'admin' });
  });

  it('should lock sign-in after 5 failures with 429 and say when to retry', async () => {
    const attempt = () => fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chief', password: 'guess-guess-guess' }) });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await attempt();
    expect(((await locked.json()) as { message: string }).message).toMatch(/Too many failed sign-ins; try again in \d+ s/);
  });

  it('should keep roles: only an admin adds users', async () => {
    // the admin's session from the set-up still works while sign-in for that name is locked
    expect((await admin.post('/api/users', { username: 'op1', password: 'op1-password-1', role: 'operator' })).status).toBe(201);
    expect((await admin.post('/api/users', { username: 'op1', password: 'op1-password-1', role: 'operator' })).status).toBe(409);
    const op = await login(url, 'op1', 'op1-password-1');
    expect((await op.post('/api/users', { username: 'op2', password: 'op2-password-1', role: 'admin' })).status).toBe(403);
  });

  it('should send security headers and serve the OpenAPI document and its viewer locally', async () => {
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-powered-by')).toBeNull();
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/events', '/api/events/{id}', '/api/events/{id}/ack', '/api/events/{id}/resolve', '/api/login', '/api/setup', '/api/cameras', '/api/users']));
    expect(JSON.stringify(doc.paths['/api/login'].post.requestBody)).toContain('"password"');
    const viewer = await fetch(`${url}/api/docs/`);
    expect(viewer.status).toBe(200);
    expect(await viewer.text()).toContain('swagger-ui');
  });

  it('should take events through its shared subscription, once each, and count a repeat and a malformed message', async () => {
    const eventId = randomUUID();
    const now = new Date().toISOString();
    const message: EventMessage = {
      schema: 'vigil.event/2', type: 'new', eventId, seq: 0, site: 'north', before: null,
      after: {
        camera: { id: 'gate', name: 'Gate' }, kind: 'smoke', label: 'smoke', startedAt: now, updatedAt: now, endedAt: null,
        score: 0.8, peakScore: 0.8, threshold: 0.65, model: { name: 'm', windowSeconds: 2 }, explanation: null,
      },
    };
    const health = async () => ((await (await fetch(`${url}/health`)).json()) as { ingest: { received: number; duplicates: number; rejected: number } }).ingest;
    const before = await health();
    const client = await mqtt.connectAsync(broker.url, { clientId: 'api-publisher' });
    for (const payload of [JSON.stringify(message), JSON.stringify(message), '{"schema":"vigil.event/2"}']) await client.publishAsync('vigil/north/events', payload, { qos: 1 });
    await client.endAsync();
    const after = await waitFor('three messages counted', async () => {
      const h = await health();
      return h.received >= before.received + 3 && h;
    }, 10_000);
    expect(after.duplicates - before.duplicates).toBe(1);
    expect(after.rejected - before.rejected).toBe(1);
    const events = (await admin.get<{ events: Array<{ id: string }> }>('/api/events')).events;
    expect(events.filter((e) => e.id === eventId)).toHaveLength(1);
    expect(app.output()).toMatch(/rejected an event message \(type: .*after: Invalid input/);
  });
});
