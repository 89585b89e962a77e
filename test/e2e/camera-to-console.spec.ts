import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { fixtureClip } from '../support/clips';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { freePort, waitFor } from '../support/ports';
import { REPO, startNode, stopAll, type Running } from '../support/processes';
import { startRtspServer, type RtspServer } from '../support/rtsp-server';

interface ApiEvent {
  id: string;
  site: string;
  kind: string;
  camera: { id: string; name: string };
  peakScore: number;
  threshold: number;
  explanation: { text: string; source: string } | null;
  media: { snapshot: string | null; clip: string | null };
  acknowledgement: { at: string } | null;
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

  function agentConfig(site: string, url: string, port: number, extraCameras: string[] = []): string {
    const path = join(dir, `${site}.yaml`);
    writeFileSync(
      path,
      [
        `site: { id: ${site}, name: "E2E ${site}" }`,
        'cameras:',
        `  - { id: cam-1, name: "Test camera", location: "Test bench", url: "${url}" }`,
        ...extraCameras,
        `mqtt: { url: "${broker.url}" }`,
        `storage: { path: "${join(dir, `${site}.db`)}" }`,
        `media: { dir: "${join(dir, `${site}-media`)}", clipPreSeconds: 3, clipPostSeconds: 3 }`,
        `http: { port: ${port} }`,
        'ingest: { reconnectMaxSeconds: 2 }',
        'logging: { level: info }',
        '',
      ].join('\n'),
    );
    return path;
  }

  async function events(): Promise<ApiEvent[]> {
    const res = await fetch(`${consoleUrl}/api/events`);
    return ((await res.json()) as { events: ApiEvent[] }).events;
  }

  beforeAll(async () => {
    const [fall, normal] = await Promise.all([fixtureClip('fall'), fixtureClip('normal')]);
    rtsp = await startRtspServer({ fall, normal });
    broker = await startMosquitto();
    const [consolePort, fallPort, quietPort] = await Promise.all([freePort(), freePort(), freePort()]);
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    quietAgentUrl = `http://127.0.0.1:${quietPort}`;
    const consoleConfig = join(dir, 'console.yaml');
    writeFileSync(consoleConfig, `http: { port: ${consolePort} }\nmqtt: { url: "${broker.url}", clientId: e2e-console }\nstorage: { path: "${join(dir, 'console.db')}" }\n`);
    consoleApp = startNode('apps/console/src/main.js', ['--config', consoleConfig]);
    await consoleApp.waitForLine(/operator console at/, 30_000);
    // a second camera that is down from the start must not disturb the first one
    const deadCamera = `  - { id: cam-dead, name: "Dead camera", url: "rtsp://viewer:hunter2@127.0.0.1:${await freePort()}/gone" }`;
    fallAgentUrl = `http://127.0.0.1:${fallPort}`;
    fallAgent = startNode('apps/edge-agent/src/main.js', ['--config', agentConfig('e2e-fall', rtsp.url('fall'), fallPort, [deadCamera])]);
    quietAgent = startNode('apps/edge-agent/src/main.js', ['--config', agentConfig('e2e-quiet', rtsp.url('normal'), quietPort)]);
    await Promise.all([fallAgent.waitForLine(/edge agent for site \\?"e2e-fall\\?" up/, 30_000), quietAgent.waitForLine(/edge agent for site \\?"e2e-quiet\\?" up/, 30_000)]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([fallAgent?.stop(), quietAgent?.stop(), consoleApp?.stop()]);
    await Promise.all([rtsp?.stop(), broker?.stop()]);
    await stopAll();
  });

  it('should deliver a fall event from the RTSP camera to the console API', async () => {
    const fall = await waitFor(() => `a fall event in the console; agent output:\n${fallAgent.output().slice(-4000)}`, async () => (await events()).find((e) => e.site === 'e2e-fall' && e.kind === 'fall'), 90_000, 500);
    expect(fall.camera).toEqual({ id: 'cam-1', name: 'Test camera', location: 'Test bench' });
    expect(fall.peakScore).toBeGreaterThanOrEqual(fall.threshold);
    expect(fall.explanation?.source).toBe('template');
    expect(fall.explanation?.text).toMatch(/^Possible fall on camera "Test camera" \(Test bench\)/);
  });

  it('should attach a snapshot at once and a playable clip as an update', async () => {
    const fall = (await events()).find((e) => e.site === 'e2e-fall' && e.kind === 'fall')!;
    expect(fall.media.snapshot).toBe(`${fallAgentUrl}/media/events/${fall.id}/snapshot.jpg`);
    const snapshot = await fetch(fall.media.snapshot!);
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await snapshot.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const withClip = await waitFor('the clip update', async () => (await events()).find((e) => e.id === fall.id && e.media.clip), 30_000, 500);
    const clipFile = join(dir, 'clip.mp4');
    writeFileSync(clipFile, Buffer.from(await (await fetch(withClip.media.clip!)).arrayBuffer()));
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width:format=duration', '-of', 'json', clipFile]).toString());
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 640 });
    expect(Number(probe.format.duration)).toBeGreaterThan(3);
  });

  it('should keep the healthy camera going and report the dead one with its reason, password hidden', async () => {
    type Health = { cameras: Array<{ id: string; state: string; windows: number; lastError?: string }> };
    const readHealth = async () => (await (await fetch(`${fallAgentUrl}/health`)).json()) as Health;
    const windowsOf = (h: Health) => h.cameras.find((c) => c.id === 'cam-1')!.windows;
    const start = windowsOf(await readHealth());
    // 2 windows/s at 4 fps and hop 2: the healthy camera keeps scoring while the dead one keeps failing
    const health = await waitFor('8 more windows on the healthy camera', async () => {
      const h = await readHealth();
      return windowsOf(h) >= start + 8 && h;
    }, 20_000);
    const [live, dead] = ['cam-1', 'cam-dead'].map((id) => health.cameras.find((c) => c.id === id)!);
    expect(live.state).toBe('online');
    expect(dead.state).not.toBe('online');
    expect(dead.lastError).toMatch(/nothing accepts connections/);
    expect(JSON.stringify(health)).not.toContain('hunter2');
    expect(fallAgent.output()).not.toContain('hunter2');
    const metrics = await (await fetch(`${fallAgentUrl}/metrics`)).text();
    expect(metrics).toMatch(/vigil_camera_state\{camera="cam-1",state="online"\} 1/);
    expect(metrics).toMatch(/vigil_camera_state\{camera="cam-dead",state="online"\} 0/);
  });

  it('should show the event live in the browser and keep the acknowledgement', async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${consoleUrl}/`);
    const fall = (await events()).find((e) => e.site === 'e2e-fall' && e.kind === 'fall')!;
    const row = page.locator(`[data-event-id="${fall.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await expect(row.locator('.kind-name').textContent()).resolves.toBe('fall');
    await expect(row.locator('.camera').textContent()).resolves.toContain('Test camera');
    await expect(row.locator('.explanation').textContent()).resolves.toContain('Possible fall');
    const outDir = join(REPO, 'test-output');
    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: join(outDir, 'console-fall-event.png'), fullPage: true });

    await row.locator('[data-action="ack"]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-event-id="${id}"]`)?.getAttribute('data-acknowledged') === 'true', fall.id, { timeout: 10_000 });
    const stored = (await events()).find((e) => e.id === fall.id)!;
    expect(stored.acknowledgement?.at).toBeTruthy();

    await page.reload();
    await page.locator(`[data-event-id="${fall.id}"][data-acknowledged="true"]`).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(outDir, 'console-acknowledged.png'), fullPage: true });
  });

  it('should raise nothing for a clip without an event', async () => {
    // the quiet camera has by now been watched for as long as the tests above took; make sure it was a real look
    await waitFor('20 s of analysed video on the quiet camera', async () => {
      const health = (await (await fetch(`${quietAgentUrl}/health`)).json()) as { cameras: Array<{ windows: number }> };
      return health.cameras[0].windows >= 40;
    }, 60_000, 1000);
    expect((await events()).filter((e) => e.site === 'e2e-quiet')).toEqual([]);
  });
});
