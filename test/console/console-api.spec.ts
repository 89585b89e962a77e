import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, setupAdmin, setupCodeOf, type ConsoleClient } from '../support/console-session';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';
import { makeSiteKey, siteKeysYaml, type TestSiteKey } from '../support/site-keys';

jest.setTimeout(60_000);

/** The console process on its own (real mosquitto, real SQLite): accounts, limits, headers, API docs. */
describe('operator console API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-console-'));
  let broker: Mosquitto;
  let app: Running;
  let url: string;
  let admin: ConsoleClient;
  let keys: Record<'north' | 'south', TestSiteKey>;

  beforeAll(async () => {
    keys = { north: makeSiteKey(dir, 'north'), south: makeSiteKey(dir, 'south') };
    broker = await startMosquitto();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = join(dir, 'console.yaml');
    writeFileSync(
      config,
      `http: { port: ${port} }\nmqtt: { url: "${broker.url}", clientId: api-console, sharedGroup: consoles, siteKeys: ${siteKeysYaml(keys)} }\nstorage: { path: "${join(dir, 'console.db')}" }\n`,
    );
    app = startNode('apps/console/src/main.js', ['--config', config]);
    await app.waitForLine(/operator console at/, 30_000);
  });

  afterAll(async () => {
    await app?.stop();
    await broker?.stop();
    await stopAll();
  });

  it('should ask for the first admin once, only with the setup code from its log, then refuse a second set-up', async () => {
    const before = (await (await fetch(`${url}/api/session`)).json()) as { needsSetup: boolean; user: unknown };
    expect(before).toEqual({ needsSetup: true, user: null });
    const code = await setupCodeOf(app.waitForLine);
    const post = (body: unknown) => fetch(`${url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const weak = await post({ username: 'root', password: 'short', setupCode: code });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { problems: string[] }).problems).toEqual(['password: use at least 10 characters']);
    // any web page could post this form; without the code from the console's log it creates nobody
    expect((await post({ username: 'mallory', password: 'mallory-password-1' })).status).toBe(400);
    const wrong = await post({ username: 'mallory', password: 'mallory-password-1', setupCode: 'AAAAA-AAAAA' });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/Wrong setup code; it is in the console's log/);
    admin = await setupAdmin(url, code.toLowerCase(), 'chief', 'chief-password-1');
    expect(admin.cookie).toMatch(/^vigil_session=/);
    const again = await post({ username: 'eve', password: 'eve-password-12', setupCode: code });
    expect(again.status).toBe(409);
    const session = await admin.get<{ user: { username: string; role: string } }>('/api/session');
    expect(session.user).toMatchObject({ username: 'chief', role: 'admin' });
  });

  it("should refuse a state change a browser sends from another origin, even another port of the console's host", async () => {
    const eventId = randomUUID();
    const ack = (headers: Record<string, string>) =>
      fetch(`${url}/api/events/${eventId}/ack`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    const otherPort = `http://127.0.0.1:${Number(new URL(url).port) + 1}`;
    const attempts: Array<Record<string, string>> = [
      { origin: otherPort },
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of attempts) {
      const res = await ack(headers);
      expect([JSON.stringify(headers), res.status]).toEqual([JSON.stringify(headers), 403]);
      expect(((await res.json()) as { message: string }).message).toMatch(/may not change anything here/);
    }
    // the console's own pages (and clients that are not browsers) get through to the route: 404, no such event
    expect((await ack({ origin: url, 'sec-fetch-site': 'same-origin' })).status).toBe(404);
    expect((await ack({})).status).toBe(404);
    // reading stays open to any origin's fetch: the cookie is SameSite=Strict and CORS keeps the answer from it
    expect((await fetch(`${url}/api/session`, { headers: { origin: 'http://evil.example' } })).status).toBe(200);
  });

  it('should lock sign-in after 5 failures with 429 and say when to retry', async () => {
    const attempt = () =>
      fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'chief', password: 'guess-guess-guess' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // a made-up X-Forwarded-For does not make a new client: no proxy is trusted unless configured
    const spoofed = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ username: 'chief', password: 'guess-guess-guess' }),
    });
    expect(spoofed.status).toBe(429);
    const locked = await attempt();
    expect(((await locked.json()) as { message: string }).message).toMatch(/Too many failed sign-ins; try again in \d+ s/);
  });

  it('should keep roles: only an admin adds users', async () => {
    // the admin's session from the set-up still works while sign-in for that name is locked
    const blank = await admin.post<{ problems: string[] }>('/api/users', { username: 'op0', password: ' '.repeat(12), role: 'operator' });
    expect([blank.status, blank.body.problems]).toEqual([400, [expect.stringMatching(/^password: use at least 10 characters that are not spaces/)]]);
    expect((await admin.post('/api/users', { username: 'op0', password: 'aaaaaaaaaaaa', role: 'operator' })).status).toBe(400);
    expect((await admin.post('/api/users', { username: 'op1', password: 'op1-password-1', role: 'operator' })).status).toBe(201);
    expect((await admin.post('/api/users', { username: 'op1', password: 'op1-password-1', role: 'operator' })).status).toBe(409);
    const op = await login(url, 'op1', 'op1-password-1');
    expect((await op.post('/api/users', { username: 'op2', password: 'op2-password-1', role: 'admin' })).status).toBe(403);
  });

  it('should close an open live stream when its session signs out', async () => {
    const op = await login(url, 'op1', 'op1-password-1');
    const res = await fetch(`${url}/api/stream`, { headers: { cookie: op.cookie } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const read = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += Buffer.from(value).toString();
      }
    };
    const whole = read();
    await waitFor('the hello', () => text.includes('"type":"hello"'), 5000);
    expect((await op.post('/api/logout')).status).toBe(204);
    const closed = await Promise.race([whole, new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`stream still open: ${text}`)), 5000))]);
    expect(closed).toContain('"type":"signed-out"');
    expect((await fetch(`${url}/api/stream`, { headers: { cookie: op.cookie } })).status).toBe(401);
  });

  it('should remove a user, ending their sessions and live stream at once, but never the last admin', async () => {
    expect((await admin.post('/api/users', { username: 'leaver', password: 'leaver-password-1', role: 'viewer' })).status).toBe(201);
    const leaver = await login(url, 'leaver', 'leaver-password-1');
    const stream = await fetch(`${url}/api/stream`, { headers: { cookie: leaver.cookie } });
    const reader = stream.body!.getReader();
    const body = (async () => {
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += Buffer.from(value).toString();
      }
    })();
    const del = (who: string) => fetch(`${url}/api/users/${who}`, { method: 'DELETE', headers: { cookie: admin.cookie } });
    expect((await del('leaver')).status).toBe(204);
    const closed = await Promise.race([body, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('stream still open')), 5000))]);
    expect(closed).toContain('"type":"signed-out"');
    expect((await fetch(`${url}/api/events`, { headers: { cookie: leaver.cookie } })).status).toBe(401);
    expect((await del('leaver')).status).toBe(404);
    const last = await del('chief');
    expect(last.status).toBe(409);
    expect(((await last.json()) as { message: string }).message).toMatch(/last admin/);
    // a user can sign themself out everywhere
    const again = await login(url, 'op1', 'op1-password-1');
    expect((await again.post<{ revoked: number }>('/api/users/op1/revoke-sessions')).body.revoked).toBeGreaterThanOrEqual(1);
    expect(((await fetch(`${url}/api/session`, { headers: { cookie: again.cookie } }).then((r) => r.json())) as { user: unknown }).user).toBeNull();
  });

  it('should answer a malformed Cookie header as signed out, not with a server error', async () => {
    const res = await fetch(`${url}/api/session`, { headers: { cookie: 'vigil_session=%E0%A4%A; other' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: unknown }).user).toBeNull();
    expect((await fetch(`${url}/api/events`, { headers: { cookie: 'vigil_session=%' } })).status).toBe(401);
  });

  it('should send security headers and serve the OpenAPI document and its viewer locally', async () => {
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-powered-by')).toBeNull();
    type Schema = { $ref?: string; properties?: Record<string, unknown> };
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: Schema }> };
            parameters?: Array<{ name: string; in: string }>;
            responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
          }
        >
      >;
      components: { schemas: Record<string, Schema> };
    };
    // the request and response schemas come from the zod schemas that validate them, as components
    const resolved = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/events',
        '/api/events/{id}',
        '/api/events/{id}/ack',
        '/api/events/{id}/resolve',
        '/api/login',
        '/api/setup',
        '/api/cameras',
        '/api/users',
      ]),
    );
    expect(Object.keys(resolved(doc.paths['/api/login'].post.requestBody?.content['application/json'].schema)?.properties ?? {})).toContain('password');
    const list = doc.paths['/api/events'].get;
    expect((list.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'unacknowledged', 'site', 'camera', 'kind', 'state', 'since', 'until']),
    );
    const events = resolved(list.responses['200'].content?.['application/json'].schema)?.properties?.events as { items: Schema };
    expect(Object.keys(resolved(events.items)?.properties ?? {})).toEqual(expect.arrayContaining(['id', 'kind', 'explanation', 'acknowledgement', 'timeline']));
    expect(Object.keys(resolved(doc.paths['/api/cameras'].get.responses['200'].content?.['application/json'].schema)?.properties ?? {})).toEqual(['cameras']);
    const viewer = await fetch(`${url}/api/docs/`);
    expect(viewer.status).toBe(200);
    expect(await viewer.text()).toContain('swagger-ui');
  });

  it('should take events through its shared subscription, once each, and count a repeat and a malformed message', async () => {
    const eventId = randomUUID();
    const now = new Date().toISOString();
    const message: EventMessage = {
      schema: 'vigil.event/2',
      type: 'new',
      eventId,
      seq: 0,
      site: 'north',
      before: null,
      after: {
        camera: { id: 'gate', name: 'Gate' },
        kind: 'smoke',
        label: 'smoke',
        startedAt: now,
        updatedAt: now,
        endedAt: null,
        score: 0.8,
        peakScore: 0.8,
        threshold: 0.65,
        model: { name: 'm', windowSeconds: 2 },
        explanation: null,
      },
    };
    const health = async () => ((await (await fetch(`${url}/health`)).json()) as { ingest: { received: number; duplicates: number; rejected: number } }).ingest;
    const before = await health();
    const client = await mqtt.connectAsync(broker.url, { clientId: 'api-publisher' });
    const signed = keys.north.sign(JSON.stringify(message));
    for (const payload of [signed, signed, '{"schema":"vigil.event/2"}']) await client.publishAsync('vigil/north/events', payload, { qos: 1 });
    await client.endAsync();
    const after = await waitFor(
      'three messages counted',
      async () => {
        const h = await health();
        return h.received >= before.received + 3 && h;
      },
      10_000,
    );
    expect(after.duplicates - before.duplicates).toBe(1);
    expect(after.rejected - before.rejected).toBe(1);
    // the same counts for Prometheus, with the convention's names (counters end in _total; process metrics as is)
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^vigil_console_messages_duplicate_total ${after.duplicates}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^vigil_console_messages_rejected_total ${after.rejected}$`, 'm'));
    expect(metrics).toMatch(/^# TYPE vigil_console_messages_received_total counter$/m);
    expect(metrics).toMatch(/^process_cpu_seconds_total /m);
    const events = (await admin.get<{ events: Array<{ id: string }> }>('/api/events')).events;
    expect(events.filter((e) => e.id === eventId)).toHaveLength(1);
    expect(app.output()).toMatch(/rejected an event message \(type: .*after: Invalid input/);
  });

  it('should take an event only from its own site, signed by that site, and never let a forged message end or freeze it', async () => {
    const eventId = randomUUID();
    const now = new Date().toISOString();
    const state = (score: number) => ({
      camera: { id: 'dock', name: 'Dock' },
      kind: 'fire' as const,
      label: 'fire',
      startedAt: now,
      updatedAt: now,
      endedAt: null,
      score,
      peakScore: score,
      threshold: 0.9,
      model: { name: 'm', windowSeconds: 2 },
      explanation: null,
    });
    const message = (over: Partial<EventMessage>): EventMessage => ({
      schema: 'vigil.event/2',
      type: 'new',
      eventId,
      seq: 0,
      site: 'north',
      before: null,
      after: state(0.95),
      ...over,
    });
    const ended: EventMessage = message({ type: 'end', seq: 2 ** 53 - 1, after: { ...state(0.1), endedAt: now } });
    const client = await mqtt.connectAsync(broker.url, { clientId: 'api-forger' });
    const send = (topic: string, payload: string) => client.publishAsync(topic, payload, { qos: 1 });
    const before = app.output().length;
    const rejections = () =>
      app
        .output()
        .slice(before)
        .match(/rejected an event message \([^)]*\)/g) ?? [];

    await send('vigil/north/events', JSON.stringify(message({}))); // unsigned
    await send('vigil/north/events', keys.south.sign(JSON.stringify(message({})))); // another site's key
    await send('vigil/south/events', keys.south.sign(JSON.stringify(message({})))); // payload names another site
    await send('vigil/east/events', keys.north.sign(JSON.stringify(message({ site: 'east' })))); // no key for the site
    const tampered = keys.north.sign(JSON.stringify(message({}))).replace('"score":0.95', '"score":0.05');
    await send('vigil/north/events', tampered);
    // a genuine site's message padded to 5 MB (the model name once had no limit): refused before parsing
    await send(
      'vigil/north/events',
      keys.north.sign(JSON.stringify(message({ after: { ...state(0.95), model: { name: 'm'.repeat(5_000_000), windowSeconds: 2 } } }))),
    );
    await waitFor('six rejections', () => rejections().length >= 6, 10_000);
    expect((await fetch(`${url}/api/events/${eventId}`, { headers: { cookie: admin.cookie } })).status).toBe(404);

    await send('vigil/north/events', keys.north.sign(JSON.stringify(message({})))); // the genuine alarm
    await waitFor('the genuine event', async () => (await fetch(`${url}/api/events/${eventId}`, { headers: { cookie: admin.cookie } })).status === 200, 10_000);
    await send('vigil/north/events', keys.north.sign(JSON.stringify(ended))); // seq jump, even if signed
    const stolen = { ...message({ type: 'end', seq: 1, site: 'south', after: { ...state(0.1), endedAt: now } }) };
    await send('vigil/south/events', keys.south.sign(JSON.stringify(stolen))); // another site's account ends it
    await waitFor('eight rejections', () => rejections().length >= 8, 10_000);
    await send('vigil/north/events', keys.north.sign(JSON.stringify(message({ type: 'update', seq: 1, after: state(0.97) }))));
    const event = await waitFor(
      'the real update',
      async () => {
        const e = await admin.get<{ state: string; peakScore: number }>(`/api/events/${eventId}`);
        return e.peakScore === 0.97 && e;
      },
      10_000,
    );
    expect(event.state).toBe('active');
    await client.endAsync();
    expect(rejections()).toEqual([
      expect.stringContaining('the message is not signed'),
      expect.stringContaining('not trusted for this site'),
      expect.stringMatching(/names site \W*north\W* but came on the topic of site \W*south/),
      expect.stringMatching(/no key is trusted for site \W*east\W*; add mqtt\.siteKeys\.east/),
      expect.stringContaining('the signature does not match the message'),
      expect.stringContaining('payload is over 256 KiB'),
      expect.stringContaining('jumps more than'),
      expect.stringMatching(/belongs to site \W*north/),
    ]);
  });

  it('should stop on SIGTERM with exit 0, the broker link closed before the database', async () => {
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(app.output()).toMatch(/shutting down on SIGTERM[\s\S]*stopped in \d+ ms/);
  });
});
