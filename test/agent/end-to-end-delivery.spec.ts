import Database from 'better-sqlite3';
import { publicKeyText } from '@vigil/contracts';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { setupAdmin, setupCodeOf, type ConsoleClient } from '../support/console-session';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

jest.setTimeout(240_000);

/**
 * Issue 15 item 3: the embedded broker keeps its queue in memory, so an event the broker took while the console
 * was away is gone when the agent restarts. Delivery ends only at the console's acknowledgement: console down,
 * agent restarted twice (once with SIGKILL), console back -> every event stored, each once.
 */
describe('end-to-end delivery through the embedded broker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-acks-'));
  const dbPath = join(dir, 'agent.db');
  let agent: Running | undefined;
  let consoleApp: Running | undefined;
  let admin: ConsoleClient;
  let agentConfig: string;
  let consoleConfig: string;
  let consoleUrl: string;

  const agentDb = <T>(sql: string): T[] => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const startAgent = async () => {
    agent = startNode('apps/edge-agent/src/main.js', ['--config', agentConfig]);
    await agent.waitForLine(/edge agent for site \\?"relay\\?" up/, 30_000);
  };
  const consoleEvents = async () => (await admin.get<{ events: Array<{ id: string }> }>('/api/events?limit=1000')).events;

  afterAll(async () => {
    await Promise.all([agent?.stop(), consoleApp?.stop()]);
    await stopAll();
  });

  it('should store every event once in a console that was away while the agent restarted twice', async () => {
    const [mqttPort, agentPort, consolePort] = await Promise.all([freePort(), freePort(), freePort()]);
    agentConfig = join(dir, 'site.yaml');
    writeSiteConfig(agentConfig, {
      site: { id: 'relay' },
      cameras: [{ id: 'desk', url: await fixtureClip('fall') }],
      mqtt: { url: `mqtt://127.0.0.1:${mqttPort}`, ackTimeoutSeconds: 2, embeddedBroker: { enabled: true, port: mqttPort } },
      storage: { path: dbPath },
      media: { dir: join(dir, 'media'), clipPostSeconds: 1 },
      http: { port: agentPort },
      ingest: { reconnectMinSeconds: 0.2, reconnectMaxSeconds: 0.5 },
      model: { fall: 'video' },
      // an event for every loop of the 12 s clip, however high the model scores the person standing between falls
      events: { fall: { cooldownSeconds: 1, clearWindows: 1, maxDurationSeconds: 5 } },
    });
    await startAgent();
    const users = JSON.parse(readFileSync(join(dir, 'mqtt-users.json'), 'utf8')) as { users: Array<{ username: string; password: string }> };
    const password = users.users.find((u) => u.username === 'console')!.password;
    const siteKey = publicKeyText(createPublicKey(createPrivateKey(readFileSync(join(dir, 'site-key.pem'), 'utf8'))));
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    consoleConfig = join(dir, 'console.yaml');
    writeFileSync(
      consoleConfig,
      `http: { port: ${consolePort} }\nmqtt: { url: "mqtt://127.0.0.1:${mqttPort}", clientId: relay-console, username: console, password: "${password}", siteKeys: { relay: ["${siteKey}"] } }\nstorage: { path: "${join(dir, 'console.db')}" }\n`,
    );
    consoleApp = startNode('apps/console/src/main.js', ['--config', consoleConfig]);
    admin = await setupAdmin(consoleUrl, await setupCodeOf(consoleApp.waitForLine));
    // the path works: an event arrives and the console's receipt reaches the agent's outbox
    await waitFor(
      () => `an acknowledged event; agent output:\n${agent!.output().slice(-3000)}`,
      () => agentDb<{ n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NOT NULL')[0].n > 0,
      90_000,
      500,
    );

    await consoleApp.stop();
    const lastBefore = agentDb<{ id: number }>('SELECT MAX(id) AS id FROM outbox')[0].id;
    // events the broker took (PUBACK) for the absent console: held only in the embedded broker's memory
    await waitFor(
      'two events sent while the console is away',
      () => agentDb<{ n: number }>(`SELECT COUNT(DISTINCT event_id) AS n FROM outbox WHERE id > ${lastBefore} AND sent_at IS NOT NULL`)[0].n >= 2,
      90_000,
      500,
    );
    await agent!.stop();
    await startAgent();
    agent!.proc.kill('SIGKILL');
    await agent!.exited;
    await startAgent();

    consoleApp = startNode('apps/console/src/main.js', ['--config', consoleConfig]);
    await consoleApp.waitForLine(/operator console at/, 30_000);
    const expected = agentDb<{ id: string }>('SELECT id FROM events').map((e) => e.id);
    const stored = await waitFor(
      () => `every event of the agent in the console; agent output:\n${agent!.output().slice(-2000)}`,
      async () => {
        const list = await consoleEvents();
        return expected.every((id) => list.some((e) => e.id === id)) && list;
      },
      90_000,
      500,
    );
    for (const id of expected) expect(stored.filter((e) => e.id === id)).toHaveLength(1);
    // and the agent lets go of what the console has
    await waitFor(
      'the messages of those events acknowledged',
      () => {
        const open = agentDb<{ n: number }>(
          `SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL AND seq IS NOT NULL AND event_id IN (${expected.map((id) => `'${id}'`).join(',')})`,
        );
        return open[0].n === 0;
      },
      60_000,
      500,
    );
  });
});
