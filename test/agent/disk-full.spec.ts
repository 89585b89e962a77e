import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { AGENT_TEST_TOKEN } from '../support/observed-agent';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

jest.setTimeout(180_000);

/** A 24 MiB tmpfs for the agent's database and media, so the disk can really fill (needs root, as CI runs). */
function smallDisk(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-smalldisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch (err) {
    console.warn(`disk-full test skipped: cannot mount a small tmpfs here (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

/** Fills the filesystem of `dir` to the last byte (ENOSPC). */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(256 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 512;) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
}

type Health = { status: string; events: { state: string; error?: string; failures: number }; cameras: Array<{ windows: number; state: string }> };

const disk = smallDisk();

/** Issue 15 item 2: a full disk degrades the agent; cameras keep running; events come back with the space. */
(disk ? describe : describe.skip)('agent on a disk that fills up', () => {
  let agent: Running | undefined;
  let url: string;
  const dbPath = join(disk ?? '', 'agent.db');
  const filler = join(disk ?? '', 'filler.bin');
  const health = async () => (await (await fetch(`${url}/health`)).json()) as Health;
  const eventCount = () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  afterAll(async () => {
    await agent?.stop();
    await stopAll();
    if (disk) execFileSync('umount', [disk]);
  });

  it('should keep the camera running while events cannot be written, report why, and store events again once space is back', async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = join(disk!, 'site.yaml');
    writeSiteConfig(config, {
      site: { id: 'fullness' },
      cameras: [{ id: 'desk', url: await fixtureClip('fall') }],
      // no broker: events stay in the outbox, which is on the same small disk
      mqtt: { url: `mqtt://127.0.0.1:${await freePort()}` },
      storage: { path: dbPath },
      media: { dir: join(disk!, 'media'), clipPostSeconds: 1 },
      http: { port, token: AGENT_TEST_TOKEN },
      ingest: { reconnectMinSeconds: 0.2, reconnectMaxSeconds: 0.5 },
      model: { fall: 'video' },
      // an event for every loop of the 12 s clip, however high the model scores the person standing between falls
      events: { fall: { cooldownSeconds: 1, clearWindows: 1, maxDurationSeconds: 5 } },
    });
    agent = startNode('apps/edge-agent/src/main.js', ['--config', config]);
    await agent.waitForLine(/edge agent for site \\?"fullness\\?" up/, 30_000);
    await waitFor(
      () => `a first event; agent output:\n${agent!.output().slice(-3000)}`,
      () => eventCount() > 0,
      60_000,
      500,
    );

    fill(filler);
    const degraded = await waitFor(
      () => `a degraded health; agent output:\n${agent!.output().slice(-3000)}`,
      async () => {
        const h = await health();
        return h.events.state === 'degraded' && h;
      },
      60_000,
      500,
    );
    expect(degraded.status).toBe('degraded');
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^events cannot be written: /)]));
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(degraded.events.error).toMatch(/full|SQLITE_FULL|no space/i);
    expect(agent.output()).toMatch(/Cannot write fall events .*cameras keep running/);
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${AGENT_TEST_TOKEN}` } })).text();
    expect(metrics).toMatch(/^vigil_event_storage_degraded 1$/m);
    expect(Number(/^vigil_event_write_failures_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    // the camera's loop is alive: it keeps scoring windows while the disk is full
    const windows = degraded.cameras[0].windows;
    await waitFor('more windows while the disk is full', async () => (await health()).cameras[0].windows > windows + 4, 20_000, 500);
    const storedWhileFull = eventCount();

    rmSync(filler);
    await waitFor(
      () => `health ok again; agent output:\n${agent!.output().slice(-3000)}`,
      async () => (await health()).events.state === 'ok',
      60_000,
      500,
    );
    await waitFor(
      () => `a new event after the space came back; agent output:\n${agent!.output().slice(-3000)}`,
      () => eventCount() > storedWhileFull,
      60_000,
      500,
    );
    expect(agent.output()).toMatch(/event storage writable again after \d+ s/);
    // ready again (the file camera restarts between plays, so allow for a moment offline)
    await waitFor('ready again', async () => (await fetch(`${url}/health/ready`)).status === 200, 20_000, 200);
    expect((await health()).cameras[0].state).not.toBe('offline');
  });
});
