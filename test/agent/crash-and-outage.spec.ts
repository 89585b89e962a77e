import Database from 'better-sqlite3';
import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { setupAdmin, setupCodeOf, type ConsoleClient } from '../support/console-session';
import { makeSiteKey, siteKeysYaml } from '../support/site-keys';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

jest.setTimeout(150_000);

interface OutboxRow {
  id: number;
  event_id: string;
  payload: string;
  sent_at: string | null;
}

/**
 * Nothing is lost: with mosquitto down the agent stores its events in the outbox, is killed with SIGKILL before
 * any PUBACK, restarts, and once the broker is back every message arrives, in outbox order, and the console
 * holds each event once.
 */
describe('broker outage and agent crash (mosquitto, SIGKILL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  const dbPath = join(dir, 'agent.db');
  let broker: Mosquitto | undefined;
  let brokerPort: number;
  let agent: Running | undefined;
  let consoleApp: Running;
  let consoleUrl: string;
  let configPath: string;
  let admin: ConsoleClient;
  let observer: mqtt.MqttClient | undefined;

  const outbox = (): OutboxRow[] => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT id, event_id, payload, sent_at FROM outbox ORDER BY id').all() as OutboxRow[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    const clip = await fixtureClip('fall');
    brokerPort = await freePort();
    broker = await startMosquitto(brokerPort);
    const consolePort = await freePort();
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    const consoleConfig = join(dir, 'console.yaml');
    const key = makeSiteKey(dir, 'crash');
    writeFileSync(
      consoleConfig,
      `http: { port: ${consolePort} }\nmqtt: { url: "${broker.url}", clientId: crash-console, siteKeys: ${siteKeysYaml({ crash: key })} }\nstorage: { path: "${join(dir, 'console.db')}" }\n`,
    );
    consoleApp = startNode('apps/console/src/main.js', ['--config', consoleConfig]);
    await consoleApp.waitForLine(/operator console at/, 30_000);
    admin = await setupAdmin(consoleUrl, await setupCodeOf(consoleApp.waitForLine));
    configPath = join(dir, 'agent.yaml');
    writeSiteConfig(configPath, {
      site: { id: 'crash' },
      cameras: [{ id: 'desk', name: 'Desk camera', url: clip }],
      mqtt: { url: broker.url, signingKey: key.path },
      storage: { path: dbPath },
      media: { dir: join(dir, 'media'), clipPostSeconds: 1 },
      http: { port: await freePort() },
      // the fixture's rendered figure: falls from the video model (the pose stage has its own test)
      model: { fall: 'video' },
      events: { fall: { cooldownSeconds: 1, clearWindows: 1 } },
    });
  });

  afterAll(async () => {
    await observer?.endAsync(true);
    await agent?.stop();
    await consoleApp?.stop();
    await broker?.stop();
    await stopAll();
  });

  it('should deliver every stored message after a SIGKILL and a broker outage, in order, each event once in the console', async () => {
    await broker!.stop();
    broker = undefined;
    // the console cannot receive events now: not ready (503), still alive
    await waitFor('the console not ready', async () => (await fetch(`${consoleUrl}/health/ready`)).status === 503, 20_000);
    expect((await fetch(`${consoleUrl}/health/live`)).status).toBe(200);
    agent = startNode('apps/edge-agent/src/main.js', ['--config', configPath]);
    await agent.waitForLine(/edge agent for site \\?"crash\\?" up/, 30_000);
    const stored = await waitFor(
      () => `an event stored while the broker is down; agent output:\n${agent!.output().slice(-3000)}`,
      () => {
        const rows = outbox();
        return rows.length >= 2 && rows;
      },
      60_000,
      200,
    );
    agent.proc.kill('SIGKILL');
    await agent.exited;
    agent = undefined;
    expect(stored.every((r) => r.sent_at === null)).toBe(true);
    const before = outbox();

    broker = await startMosquitto(brokerPort);
    observer = await mqtt.connectAsync(broker.url, { clientId: 'crash-observer' });
    const arrived: EventMessage[] = [];
    observer.on('message', (_t, p) => arrived.push(JSON.parse(p.toString()) as EventMessage));
    await observer.subscribeAsync('vigil/crash/events', { qos: 1 });
    await waitFor(
      'the console back on the broker',
      async () => ((await (await fetch(`${consoleUrl}/health`)).json()) as { mqtt: { connected: boolean } }).mqtt.connected,
      20_000,
    );
    expect((await fetch(`${consoleUrl}/health/ready`)).status).toBe(200);

    agent = startNode('apps/edge-agent/src/main.js', ['--config', configPath]);
    await waitFor(
      () => `the stored messages delivered; agent output:\n${agent!.output().slice(-3000)}`,
      () => arrived.length >= before.length,
      30_000,
    );
    const firstDelivered = arrived.slice(0, before.length).map((m) => `${m.eventId}/${m.seq}/${m.type}`);
    expect(firstDelivered).toEqual(
      before.map((r) => {
        const m = JSON.parse(r.payload) as EventMessage;
        return `${m.eventId}/${m.seq}/${m.type}`;
      }),
    );
    const sent = outbox().filter((r) => r.id <= before[before.length - 1].id);
    expect(sent.every((r) => r.sent_at !== null)).toBe(true);

    const eventIds = [...new Set(before.map((r) => r.event_id))];
    const consoleEvents = await waitFor(
      'the events in the console',
      async () => {
        const list = (await admin.get<{ events: Array<{ id: string }> }>('/api/events')).events;
        return eventIds.every((id) => list.some((e) => e.id === id)) && list;
      },
      20_000,
    );
    for (const id of eventIds) expect(consoleEvents.filter((e) => e.id === id)).toHaveLength(1);

    // an event the SIGKILL left open is ended by the restarted agent, with the reason
    const lastBefore = new Map(before.map((r) => [r.event_id, JSON.parse(r.payload) as EventMessage]));
    for (const [id, last] of lastBefore) {
      if (last.type === 'end') continue;
      const end = await waitFor(`the end of interrupted event ${id}`, () => arrived.find((m) => m.eventId === id && m.type === 'end'), 20_000);
      expect(end.after).toMatchObject({ endReason: 'agent-restarted', endedAt: last.after.updatedAt });
      await waitFor('the console to show it ended', async () => (await admin.get<{ state: string }>(`/api/events/${id}`)).state === 'ended', 10_000);
    }
  });
});
