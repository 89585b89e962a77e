import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { randomUUID } from 'node:crypto';
import { launchChromium } from '../support/browser';
import { setupAdmin, setupCodeOf, login, type ConsoleClient } from '../support/console-session';
import { AGENT_TEST_TOKEN } from '../support/observed-agent';
import { makeSiteKey, siteKeysYaml, type TestSiteKey } from '../support/site-keys';
import { fixtureClip } from '../support/clips';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { freePort, waitFor } from '../support/ports';
import { REPO, startNode, stopAll, type Running } from '../support/processes';
import { startRtspServer, type RtspServer } from '../support/rtsp-server';
import { writeSiteConfig, type SiteConfigInput } from '../support/site-config';

interface ApiEvent {
  id: string;
  site: string;
  kind: string;
  camera: { id: string; name: string };
  peakScore: number;
  threshold: number;
  explanation: { text: string; source: string } | null;
  media: { snapshot: string | null; clip: string | null };
  acknowledgement: { at: string; by: string | null; note: string | null } | null;
  timeline: Array<[number, number]> | null;
}

jest.setTimeout(180_000);

/**
 * The whole path with real parts: synthetic clips served by the GStreamer RTSP server, two edge agents
 * (ffmpeg + onnxruntime-node + SQLite) publishing to mosquitto, the console subscribing, and Chromium.
 */
describe('camera to console (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  let rtsp: RtspServer;
  let broker: Mosquitto;
  let fallAgent: Running;
  let quietAgent: Running;
  let consoleApp: Running;
  let consoleUrl: string;
  let quietAgentUrl: string;
  let fallAgentUrl: string;
  let browser: Browser | undefined;
  let admin: ConsoleClient;
  const OPERATOR = { username: 'ana', password: 'operator-password-1' };
  const VIEWER = { username: 'watcher', password: 'viewer-password-1' };

  const keys: Record<string, TestSiteKey> = {};
  const keyOf = (site: string) => (keys[site] ??= makeSiteKey(dir, site));

  function agentConfig(site: string, url: string, port: number, more: Pick<Partial<SiteConfigInput>, 'cameras' | 'model'> = {}): string {
    return writeSiteConfig(join(dir, `${site}.yaml`), {
      site: { id: site, name: `E2E ${site}` },
      cameras: [{ id: 'cam-1', name: 'Test camera', location: 'Test bench', url }, ...(more.cameras ?? [])],
      mqtt: { url: broker.url, signingKey: keyOf(site).path },
      storage: { path: join(dir, `${site}.db`) },
      media: { dir: join(dir, `${site}-media`), clipPreSeconds: 3, clipPostSeconds: 3 },
      http: { port, token: AGENT_TEST_TOKEN },
      ingest: { reconnectMaxSeconds: 2 },
      logging: { level: 'info' },
      ...(more.model && { model: more.model }),
    });
  }

  async function events(): Promise<ApiEvent[]> {
    return (await admin.get<{ events: ApiEvent[] }>('/api/events')).events;
  }

  beforeAll(async () => {
    const [fall, normal] = await Promise.all([fixtureClip('fall'), fixtureClip('normal')]);
    rtsp = await startRtspServer({ fall, normal });
    broker = await startMosquitto();
    const [consolePort, fallPort, quietPort] = await Promise.all([freePort(), freePort(), freePort()]);
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    quietAgentUrl = `http://127.0.0.1:${quietPort}`;
    const consoleConfig = join(dir, 'console.yaml');
    for (const site of ['e2e-fall', 'e2e-quiet', 'e2e-live']) keyOf(site);
    const agents = `{ e2e-fall: { url: "http://127.0.0.1:${fallPort}", token: "${AGENT_TEST_TOKEN}" }, e2e-quiet: { url: "${quietAgentUrl}", token: "${AGENT_TEST_TOKEN}" } }`;
    writeFileSync(
      consoleConfig,
      `http: { port: ${consolePort} }\nmqtt: { url: "${broker.url}", clientId: e2e-console, siteKeys: ${siteKeysYaml(keys)} }\nagents: ${agents}\nstorage: { path: "${join(dir, 'console.db')}" }\n`,
    );
    consoleApp = startNode('apps/console/src/main.js', ['--config', consoleConfig]);
    await consoleApp.waitForLine(/operator console at/, 30_000);
    admin = await setupAdmin(consoleUrl, await setupCodeOf(consoleApp.waitForLine));
    expect((await admin.post('/api/users', { ...OPERATOR, role: 'operator' })).status).toBe(201);
    expect((await admin.post('/api/users', { ...VIEWER, role: 'viewer' })).status).toBe(201);
    // a second camera that is down from the start must not disturb the first one
    const deadCamera = { id: 'cam-dead', name: 'Dead camera', url: `rtsp://viewer:hunter2@127.0.0.1:${await freePort()}/gone` };
    fallAgentUrl = `http://127.0.0.1:${fallPort}`;
    fallAgent = startNode('apps/edge-agent/src/main.js', [
      '--config',
      agentConfig('e2e-fall', rtsp.url('fall'), fallPort, {
        cameras: [deadCamera],
        // the fixture's fall is a rendered figure: scored by the video model (test/agent/pose-fall.spec.ts covers the pose stage)
        model: { fall: 'video' },
      }),
    ]);
    quietAgent = startNode('apps/edge-agent/src/main.js', ['--config', agentConfig('e2e-quiet', rtsp.url('normal'), quietPort)]);
    await Promise.all([
      fallAgent.waitForLine(/edge agent for site \\?"e2e-fall\\?" up/, 30_000),
      quietAgent.waitForLine(/edge agent for site \\?"e2e-quiet\\?" up/, 30_000),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([fallAgent?.stop(), quietAgent?.stop(), consoleApp?.stop()]);
    await Promise.all([rtsp?.stop(), broker?.stop()]);
    await stopAll();
  });

  it('should deliver a fall event from the RTSP camera to the console API', async () => {
    const fall = await waitFor(
      () => `a fall event in the console; agent output:\n${fallAgent.output().slice(-4000)}`,
      async () => (await events()).find((e) => e.site === 'e2e-fall' && e.kind === 'fall'),
      90_000,
      500,
    );
    expect(fall.camera).toEqual({ id: 'cam-1', name: 'Test camera', location: 'Test bench' });
    expect(fall.peakScore).toBeGreaterThanOrEqual(fall.threshold);
    expect(fall.explanation?.source).toBe('template');
    expect(fall.explanation?.text).toMatch(/^Possible fall on camera "Test camera" \(Test bench\)/);
  });

  it('should attach a snapshot at once and a playable clip as an update', async () => {
    const fall = (await events()).find((e) => e.site === 'e2e-fall' && e.kind === 'fall')!;
    // operators get the evidence from the console, which fetches it from the agent with the agent's token
    expect(fall.media.snapshot).toBe(`/api/media/events/${fall.id}/snapshot.jpg`);
    expect((await fetch(`${fallAgentUrl}/media/events/${fall.id}/snapshot.jpg`)).status).toBe(401);
    expect((await fetch(`${consoleUrl}${fall.media.snapshot}`)).status).toBe(401);
    const snapshot = await fetch(`${consoleUrl}${fall.media.snapshot}`, { headers: { cookie: admin.cookie } });
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await snapshot.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const withClip = await waitFor('the clip update', async () => (await events()).find((e) => e.id === fall.id && e.media.clip), 30_000, 500);
    const clipFile = join(dir, 'clip.mp4');
    writeFileSync(clipFile, Buffer.from(await (await fetch(`${consoleUrl}${withClip.media.clip}`, { headers: { cookie: admin.cookie } })).arrayBuffer()));
    // a browser seeks in the clip with Range requests, passed through to the agent
    const part = await fetch(`${consoleUrl}${withClip.media.clip}`, { headers: { cookie: admin.cookie, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width:format=duration', '-of', 'json', clipFile]).toString(),
    );
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 640 });
    expect(Number(probe.format.duration)).toBeGreaterThan(3);
  });

  it('should keep the healthy camera going and report the dead one with its reason, password hidden', async () => {
    type Health = { cameras: Array<{ id: string; state: string; windows: number; lastError?: string }> };
    const readHealth = async () => (await (await fetch(`${fallAgentUrl}/health`)).json()) as Health;
    const windowsOf = (h: Health) => h.cameras.find((c) => c.id === 'cam-1')!.windows;
    const start = windowsOf(await readHealth());
    // 2 windows/s at 4 fps and hop 2: the healthy camera keeps scoring while the dead one keeps failing
    const health = await waitFor(
      '8 more windows on the healthy camera',
      async () => {
        const h = await readHealth();
        return windowsOf(h) >= start + 8 && h;
      },
      20_000,
    );
    const [live, dead] = ['cam-1', 'cam-dead'].map((id) => health.cameras.find((c) => c.id === id)!);
    expect(live.state).toBe('online');
    expect(dead.state).not.toBe('online');
    expect(dead.lastError).toMatch(/nothing accepts connections/);
    expect(JSON.stringify(health)).not.toContain('hunter2');
    expect(fallAgent.output()).not.toContain('hunter2');
    expect((await fetch(`${fallAgentUrl}/metrics`)).status).toBe(401);
    const metrics = await (await fetch(`${fallAgentUrl}/metrics`, { headers: { authorization: `Bearer ${AGENT_TEST_TOKEN}` } })).text();
    expect(metrics).toMatch(/vigil_camera_state\{camera="cam-1",state="online"\} 1/);
    expect(metrics).toMatch(/vigil_camera_state\{camera="cam-dead",state="online"\} 0/);
  });

  it('should sign in, show the event with its evidence, take a new one live, and keep the acknowledgement', async () => {
    const outDir = join(REPO, 'test-output');
    mkdirSync(outDir, { recursive: true });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${consoleUrl}/`);
    await page.locator('#auth-form').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(outDir, 'console-sign-in.png') });
    await page.fill('#auth-username', OPERATOR.username);
    await page.fill('#auth-password', 'wrong-password-123');
    await page.click('#auth-submit');
    await page.locator('#auth-error', { hasText: 'Wrong user name or password' }).waitFor({ timeout: 5000 });
    await page.fill('#auth-password', OPERATOR.password);
    await page.click('#auth-submit');
    await page.locator('#auth').waitFor({ state: 'hidden' });

    const fall = (await events()).find((e) => e.site === 'e2e-fall' && e.kind === 'fall')!;
    const row = page.locator(`[data-event-id="${fall.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await expect(row.locator('.kind-name').textContent()).resolves.toBe('fall');
    await expect(row.locator('.camera').textContent()).resolves.toContain('Test camera');
    await expect(row.locator('.explanation').textContent()).resolves.toContain('Possible fall');
    await page.screenshot({ path: join(outDir, 'console-alerts.png'), fullPage: true });

    // the detail: snapshot or clip, the score timeline drawn from the event's scores, the explanation
    await row.locator('[data-action="open"]').click();
    await page.locator('#detail[open]').waitFor();
    await page.locator('#detail-timeline path.line').waitFor({ state: 'attached', timeout: 5000 });
    expect((await events()).find((e) => e.id === fall.id)!.timeline!.length).toBeGreaterThanOrEqual(2);
    await expect(page.locator('#detail-explanation').textContent()).resolves.toContain('Possible fall');
    // the evidence really loads in the browser, through the console: the clip plays (or the snapshot shows)
    await page.waitForFunction(
      () => {
        const video = document.querySelector<HTMLVideoElement>('#detail-clip');
        const img = document.querySelector<HTMLImageElement>('#detail-snapshot');
        return (video && !video.hidden && video.readyState >= 2 && video.videoWidth > 0) || (img && !img.hidden && img.complete && img.naturalWidth > 0);
      },
      undefined,
      { timeout: 15_000 },
    );
    await page.screenshot({ path: join(outDir, 'console-event-detail.png') });
    await page.fill('#detail-note', 'Checked the camera: test bench, nobody hurt');
    await page.click('[data-detail-action="ack"]');
    await page.waitForFunction((id) => document.querySelector(`[data-event-id="${id}"]`)?.getAttribute('data-acknowledged') === 'true', fall.id, {
      timeout: 10_000,
    });
    await page.keyboard.press('Escape');
    const stored = (await events()).find((e) => e.id === fall.id)!;
    expect(stored.acknowledgement).toMatchObject({ by: OPERATOR.username, note: 'Checked the camera: test bench, nobody hurt' });

    // an event published on the broker now appears without a reload, first in the queue
    const liveId = randomUUID();
    const now = new Date().toISOString();
    const message: EventMessage = {
      schema: 'vigil.event/2',
      type: 'new',
      eventId: liveId,
      seq: 0,
      site: 'e2e-live',
      before: null,
      after: {
        camera: { id: 'lobby', name: 'Lobby', location: 'Ground floor' },
        kind: 'fire',
        label: 'fire',
        startedAt: now,
        updatedAt: now,
        endedAt: null,
        score: 0.95,
        peakScore: 0.97,
        threshold: 0.9,
        model: { name: 'vigil-vit-tiny', windowSeconds: 2 },
        explanation: { text: 'Possible fire in the lobby.', source: 'llm', language: 'en', severity: 'critical', suggestedAction: 'Evacuate the lobby.' },
      },
    };
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'e2e-publisher' });
    await publisher.publishAsync('vigil/e2e-live/events', 'this is not JSON', { qos: 1 });
    await publisher.publishAsync('vigil/e2e-live/events', keyOf('e2e-live').sign(JSON.stringify(message)), { qos: 1 });
    await publisher.endAsync();
    const liveRow = page.locator(`[data-event-id="${liveId}"]`);
    await liveRow.waitFor({ state: 'visible', timeout: 10_000 });
    await expect(page.locator('#events > li').first().getAttribute('data-event-id')).resolves.toBe(liveId);
    await expect(liveRow.locator('.badge.severity').textContent()).resolves.toBe('critical');
    await expect(liveRow.locator('.suggested-action').textContent()).resolves.toContain('Evacuate the lobby.');
    const health = (await (await fetch(`${consoleUrl}/health`)).json()) as { ingest: { rejected: number } };
    expect(health.ingest.rejected).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(outDir, 'console-live-event.png'), fullPage: true });

    await page.reload();
    await page.locator(`[data-event-id="${fall.id}"][data-acknowledged="true"]`).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(outDir, 'console-acknowledged.png'), fullPage: true });

    // the camera wall: the healthy camera online, the dead one offline with its reason
    await page.click('[data-view-button="cameras"]');
    const camCard = page.locator('.camera-card[data-camera="e2e-fall/cam-1"]');
    await camCard.waitFor({ state: 'visible', timeout: 10_000 });
    await expect(camCard.getAttribute('data-state')).resolves.toBe('online');
    await expect(camCard.locator('.camera-seen').textContent()).resolves.toMatch(/online · [\d.–]+ fps analysed/);
    await page.waitForFunction(
      (sel) => (document.querySelector<HTMLImageElement>(sel)?.naturalWidth ?? 0) > 0,
      '.camera-card[data-camera="e2e-fall/cam-1"] .camera-picture',
      { timeout: 15_000 },
    );
    const deadCard = page.locator('.camera-card[data-camera="e2e-fall/cam-dead"]');
    await expect(deadCard.getAttribute('data-state')).resolves.not.toBe('online');
    await expect(deadCard.locator('.camera-error').textContent()).resolves.toMatch(/nothing accepts connections/);
    await page.screenshot({ path: join(outDir, 'console-camera-wall.png'), fullPage: true });
    // the control-room screen and the laptop
    await page.click('[data-view-button="alerts"]');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(outDir, 'console-1920x1080.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: join(outDir, 'console-1366x768.png') });
    await page.close();
  });

  it('should not let a viewer acknowledge, in the page or through the API', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${consoleUrl}/`);
    await page.fill('#auth-username', VIEWER.username);
    await page.fill('#auth-password', VIEWER.password);
    await page.click('#auth-submit');
    await page.locator('#auth').waitFor({ state: 'hidden' });
    const open = (await events()).find((e) => !e.acknowledgement)!;
    const row = page.locator(`[data-event-id="${open.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await row.locator('[data-action="ack"]').isVisible()).toBe(false);
    await page.screenshot({ path: join(REPO, 'test-output', 'console-viewer.png'), fullPage: true });
    await context.close();

    const viewer = await login(consoleUrl, VIEWER.username, VIEWER.password);
    const denied = await viewer.post<{ message: string }>(`/api/events/${open.id}/ack`, {});
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/needs the operator role/);
    expect((await admin.post(`/api/events/${open.id}/ack`, { note: 5 })).status).toBe(400);
    expect((await fetch(`${consoleUrl}/api/events`)).status).toBe(401);
    expect((await fetch(`${consoleUrl}/api/events?limit=abc`, { headers: { cookie: admin.cookie } })).status).toBe(400);
  });

  it('should raise nothing for a clip without an event', async () => {
    // the quiet camera has by now been watched for as long as the tests above took; make sure it was a real look
    await waitFor(
      '20 s of analysed video on the quiet camera',
      async () => {
        const health = (await (await fetch(`${quietAgentUrl}/health`)).json()) as { cameras: Array<{ windows: number }> };
        return health.cameras[0].windows >= 40;
      },
      60_000,
      1000,
    );
    expect((await events()).filter((e) => e.site === 'e2e-quiet')).toEqual([]);
  });
});
