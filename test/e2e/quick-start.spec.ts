import mqtt from 'mqtt';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupAdmin, setupCodeOf } from '../support/console-session';
import { expectEventMediaShown, waitForKinds } from '../support/event-media';
import { freePort } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';

jest.setTimeout(300_000);

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
    const kinds = await waitForKinds(admin, ['fall', 'fire'], () => `output so far:\n${demo.output().slice(-4000)}`, 60_000, 500);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(kinds.every((e) => e.site === 'demo')).toBe(true);
    // every event's snapshot is served by the console from the agent (the media folder is relative in the demo
    // config); the agent itself answers only with its token; in a browser every thumbnail shows and a clip plays
    for (const { id } of kinds) expect((await fetch(`http://127.0.0.1:${agentPort}/media/events/${id}/snapshot.jpg`)).status).toBe(401);
    await expectEventMediaShown(admin, url, kinds);
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
