import mqtt from 'mqtt';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../support/browser';
import { setupAdmin, setupCodeOf } from '../support/console-session';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';

jest.setTimeout(300_000);

type ApiEvent = { id: string; kind: string; site: string; media: { snapshot: string | null } };

/** README quick start: `npm start` runs the demo camera, agent (embedded aedes broker) and console on one box. */
describe('npm start (quick start)', () => {
  let demo: Running;

  afterAll(async () => {
    await demo?.stop();
    await stopAll();
  });

  it('should show a fall event and a fire event in the console within 60 s of start-up', async () => {
    const [consolePort, agentPort, mqttPort, rtspPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-quickstart-'));
    demo = startNode('scripts/start.js', [
      '--console-port',
      `${consolePort}`,
      '--agent-port',
      `${agentPort}`,
      '--mqtt-port',
      `${mqttPort}`,
      '--rtsp-port',
      `${rtspPort}`,
      '--data-dir',
      dataDir,
    ]);
    // the first run renders the demo clip (about 20 s) before anything starts; the clock starts when the URL is printed
    const line = await demo.waitForLine(/VIGIL_CONSOLE_URL=\S+/, 120_000);
    const url = line.split('=')[1];
    expect(url).toBe(`http://localhost:${consolePort}/`);
    const started = Date.now();
    // a fresh console asks for its first administrator, as an operator would on the first visit
    const admin = await setupAdmin(url, await setupCodeOf(demo.waitForLine));
    const kinds = await waitFor(
      () => `fall and fire events; output so far:\n${demo.output().slice(-4000)}`,
      async () => {
        const body = await admin.get<{ events: ApiEvent[] }>('/api/events');
        const seen = new Set(body.events.map((e) => e.kind));
        return seen.has('fall') && seen.has('fire') ? body.events : undefined;
      },
      60_000,
      500,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(kinds.every((e) => e.site === 'demo')).toBe(true);
    // every event's snapshot is served by the console from the agent (the media folder is relative in the demo
    // config); the agent itself answers only with its token
    for (const { id, kind } of kinds) {
      const snapshot = await waitFor(`the ${kind} snapshot`, async () => (await admin.get<ApiEvent>(`/api/events/${id}`)).media.snapshot, 20_000);
      expect((await fetch(`http://127.0.0.1:${agentPort}/media/events/${id}/snapshot.jpg`)).status).toBe(401);
      const res = await fetch(new URL(snapshot!, url), { headers: { cookie: admin.cookie } });
      expect(res.status).toBe(200);
      expect([...new Uint8Array(await res.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
    }
    // and in a browser: every thumbnail shows, and a clip plays in the event's detail
    const withClip = await waitFor(
      'an event with its clip',
      async () => (await admin.get<{ events: Array<ApiEvent & { media: { clip: string | null } }> }>('/api/events')).events.find((e) => e.media.clip),
      40_000,
      500,
    );
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const [name, value] = admin.cookie.split('=');
      await context.addCookies([{ name, value, url }]);
      const page = await context.newPage();
      await page.goto(url);
      await page.locator(`[data-event-id="${withClip.id}"]`).waitFor({ state: 'visible', timeout: 15_000 });
      await page.waitForFunction(
        (ids) => ids.every((id) => (document.querySelector<HTMLImageElement>(`[data-event-id="${id}"] .thumb img`)?.naturalWidth ?? 0) > 0),
        kinds.map((e) => e.id),
        { timeout: 20_000 },
      );
      await page.locator(`[data-event-id="${withClip.id}"] [data-action="open"]`).click();
      await page.waitForFunction(
        () => {
          const video = document.querySelector<HTMLVideoElement>('#detail-clip');
          return Boolean(video && !video.hidden && video.readyState >= 2 && video.videoWidth > 0);
        },
        undefined,
        { timeout: 20_000 },
      );
    } finally {
      await browser.close();
    }
    // the embedded broker made its users privately and refuses anonymous clients
    expect(statSync(join(dataDir, 'mqtt-users.json')).mode & 0o777).toBe(0o600);
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0, connectTimeout: 5000 })).rejects.toThrow(
      /not authori[sz]ed|bad user/i,
    );
    const page = await fetch(url);
    expect(await page.text()).toContain('<title>Vigil · Operator console</title>');

    expect(await demo.stop('SIGTERM')).toBe(0);
    expect(demo.output()).not.toMatch(/exited \(code [1-9]/);
  });
});
