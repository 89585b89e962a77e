/**
 * Console ingest and browser update latency, against a real mosquitto and a real Chromium.
 *
 *   npm run bench:console [-- --events 2000 --live 20]
 *
 * (1) events/s: a burst of `new` event messages (QoS 1) published as fast as the broker takes them; the console's
 *     rate into SQLite (until /health counts them all and the API lists them) against a bare MQTT subscriber
 *     receiving the same burst in the same run (the broker's own delivery rate): ratio console / bare.
 * (2) browser latency: one event at a time, from publish to its row on an operator's open alert page (SSE ->
 *     DOM), p50/p95, against the same event's arrival on a bare SSE client of /api/stream.
 */
import { keyId, publicKeyText, signMessage, type EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../scripts/demo-clip';
import { benchOptions } from './options';
import { freePort } from './simulated-site';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

function message(site: string, i: number): EventMessage {
  const now = new Date().toISOString();
  return {
    schema: 'vigil.event/2',
    type: 'new',
    eventId: randomUUID(),
    seq: 0,
    site,
    before: null,
    after: {
      camera: { id: `cam-${i % 16}`, name: `Camera ${i % 16}` },
      kind: (['fall', 'fire', 'smoke'] as const)[i % 3],
      label: 'fall',
      startedAt: now,
      updatedAt: now,
      endedAt: null,
      score: 0.9,
      peakScore: 0.93,
      threshold: 0.85,
      model: { name: 'vigil-stream-tiny', windowSeconds: 2 },
      explanation: { text: `Bench event ${i}.`, source: 'template', language: 'en' },
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const options = benchOptions('Usage: npm run bench:console [-- --events 2000 --live 20]', { events: { type: 'string' }, live: { type: 'string' } });
  const total = options.number('events', 2000);
  const liveRuns = options.number('live', 20);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-console-bench-'));
  const [brokerPort, httpPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  // as docker/mosquitto.conf: no cap on queued QoS 1 messages (mosquitto's default 1000 drops a burst for a slow subscriber)
  writeFileSync(join(dir, 'mosquitto.conf'), `user ${userInfo().username}\nlistener ${brokerPort} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n`);
  const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  children.push(broker);
  await sleep(300);
  const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
  // events are signed as the agents sign them, so verification is part of what is measured
  const site = generateKeyPairSync('ed25519');
  const siteKey = publicKeyText(site.publicKey);
  const sign = (m: EventMessage) => signMessage(JSON.stringify(m), site.privateKey, keyId(siteKey));
  writeFileSync(
    join(dir, 'console.yaml'),
    `http: { port: ${httpPort} }\nmqtt: { url: "${brokerUrl}", siteKeys: { bench: ["${siteKey}"], bench-live: ["${siteKey}"] } }\nstorage: { path: "${join(dir, 'console.db')}" }\nlogging: { level: warn }\n`,
  );
  const app = spawn('node', [join(REPO_ROOT, 'dist', 'apps', 'console', 'src', 'main.js'), '--config', join(dir, 'console.yaml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(app);
  let setupCode = '';
  const readCode = (d: Buffer) => (setupCode ||= /setup code ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(d.toString())?.[1] ?? '');
  app.stdout?.on('data', readCode);
  app.stderr?.on('data', readCode);
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await until('the console', async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok === true, 30_000, 200);
    await until("the console's setup code", async () => setupCode !== '', 10_000, 50);
    const setup = await fetch(`${url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password-1', setupCode }),
    });
    const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
    const received = async () => ((await (await fetch(`${url}/health`)).json()) as { ingest: { received: number } }).ingest.received;

    console.log(`Vigil console bench: ${cpus().length} cpu (${cpus()[0]?.model.trim()}), ${new Date().toISOString().slice(0, 10)}`);
    // (1) ingest burst
    const bare = await mqtt.connectAsync(brokerUrl, { clientId: 'bench-bare' });
    let bareCount = 0;
    let bareDone = 0;
    bare.on('message', () => {
      if (++bareCount === total) bareDone = performance.now();
    });
    await bare.subscribeAsync('vigil/+/events', { qos: 1 });
    const publisher = await mqtt.connectAsync(brokerUrl, { clientId: 'bench-publisher' });
    const before = await received();
    const payloads = Array.from({ length: total }, (_, i) => sign(message('bench', i)));
    const t0 = performance.now();
    await Promise.all(payloads.map((p) => publisher.publishAsync('vigil/bench/events', p, { qos: 1 })));
    const published = performance.now();
    let consoleDone = 0;
    await until(
      'the console to ingest the burst',
      async () => {
        if ((await received()) - before >= total) consoleDone = performance.now();
        return consoleDone > 0;
      },
      120_000,
      10,
    );
    await until('the bare subscriber', async () => bareDone > 0, 30_000);
    const listed = (await (await fetch(`${url}/api/events?limit=1`, { headers: { cookie } })).json()) as { total?: number; events?: unknown[] };
    const consoleRate = total / ((consoleDone - t0) / 1000);
    const bareRate = total / ((bareDone - t0) / 1000);
    console.log(`\n(1) ingest: ${total} new events, QoS 1, one publisher (published in ${((published - t0) / 1000).toFixed(2)} s)`);
    console.log('subscriber | events/s | ratio to bare');
    console.log(`bare MQTT subscriber | ${bareRate.toFixed(0)} | 1.00`);
    console.log(`console (parse, validate, SQLite, SSE) | ${consoleRate.toFixed(0)} | ${(consoleRate / bareRate).toFixed(2)}`);
    if (listed.total !== undefined) console.log(`API lists ${listed.total} events`);

    // (2) browser latency
    const browser = await chromium.launch({
      executablePath: '/usr/lib/chromium/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.fill('#auth-username', 'bench');
    await page.fill('#auth-password', 'bench-password-1');
    await page.click('#auth-submit');
    await page.locator('#auth').waitFor({ state: 'hidden' });
    const sse = await fetch(`${url}/api/stream`, { headers: { cookie } });
    const reader = sse.body!.getReader();
    const seen = new Map<string, number>();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += new TextDecoder().decode(value);
        for (const m of buffer.matchAll(/"id":"([0-9a-f-]{36})"/g)) if (!seen.has(m[1])) seen.set(m[1], performance.now());
        buffer = buffer.slice(-200);
      }
    })();
    // the row's arrival is stamped inside the page (MutationObserver, same host clock), not by polling it from here
    await page.evaluate(() => {
      const w = window as unknown as { seenAt: Record<string, number> };
      w.seenAt = {};
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of Array.from(r.addedNodes)) {
            const id = (n as HTMLElement).dataset?.eventId;
            if (id && !w.seenAt[id]) w.seenAt[id] = Date.now();
          }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const browserMs: number[] = [];
    const sseMs: number[] = [];
    for (let i = 0; i < liveRuns; i++) {
      const m = message('bench-live', i);
      const start = performance.now();
      const wallStart = Date.now();
      await publisher.publishAsync('vigil/bench-live/events', sign(m), { qos: 1 });
      await page.locator(`[data-event-id="${m.eventId}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      const shown = await page.evaluate((id) => (window as unknown as { seenAt: Record<string, number> }).seenAt[id], m.eventId);
      browserMs.push(shown - wallStart);
      await until('the SSE client', async () => seen.has(m.eventId), 5000, 2);
      sseMs.push(seen.get(m.eventId)! - start);
      await sleep(300);
    }
    console.log(`\n(2) update latency, publish -> visible, ${liveRuns} events one at a time`);
    console.log('path | p50 ms | p95 ms');
    console.log(`bare SSE client of /api/stream | ${pct(sseMs, 50).toFixed(1)} | ${pct(sseMs, 95).toFixed(1)}`);
    console.log(`operator page in Chromium (row in the DOM) | ${pct(browserMs, 50).toFixed(1)} | ${pct(browserMs, 95).toFixed(1)}`);
    console.log(`ratio browser / SSE (p50) | ${(pct(browserMs, 50) / pct(sseMs, 50)).toFixed(2)}`);
    await reader.cancel().catch(() => undefined);
    await browser.close();
    await Promise.all([publisher.endAsync(), bare.endAsync()]);
  } finally {
    children.forEach((c) => c.kill('SIGTERM'));
  }
}

main().catch((err: Error) => {
  console.error(`bench:console failed: ${err.message}`);
  process.exit(1);
});
