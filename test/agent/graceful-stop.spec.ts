import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

jest.setTimeout(120_000);

/**
 * Issue 15 item 15: SIGTERM while cameras run inference and an event is in flight (its clip still in the
 * post-roll). One owner stops things in order: the agent exits 0, no inference runs on a released model, and the
 * event's clip is written and delivered as an update before the process ends.
 */
describe('agent stop with an event in flight', () => {
  let broker: Mosquitto;
  let observer: mqtt.MqttClient | undefined;

  afterAll(async () => {
    // a failed test must not leave a client reconnecting to the stopped broker after Jest tears down
    await observer?.endAsync(true);
    await stopAll();
    await broker?.stop();
  });

  it('should write the pending clip, deliver it, and exit cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-stop-'));
    broker = await startMosquitto();
    observer = await mqtt.connectAsync(broker.url, { clientId: 'stop-observer' });
    const messages: EventMessage[] = [];
    observer.on('message', (_t, p) => messages.push(JSON.parse(p.toString()) as EventMessage));
    await observer.subscribeAsync('vigil/stopper/events', { qos: 1 });
    const config = join(dir, 'site.yaml');
    writeSiteConfig(config, {
      site: { id: 'stopper' },
      cameras: [{ id: 'desk', url: await fixtureClip('fall') }],
      mqtt: { url: broker.url },
      storage: { path: join(dir, 'agent.db') },
      // a long post-roll: the clip is still waiting when the stop comes
      media: { dir: join(dir, 'media'), clipPreSeconds: 3, clipPostSeconds: 30 },
      http: { port: await freePort() },
      model: { fall: 'video' },
      events: { fall: { cooldownSeconds: 1, clearWindows: 1 } },
    });
    const agent = startNode('apps/edge-agent/src/main.js', ['--config', config]);
    await agent.waitForLine(/edge agent for site \\?"stopper\\?" up/, 30_000);
    const opened = await waitFor(
      () => `a new event; agent output:\n${agent.output().slice(-3000)}`,
      () => messages.find((m) => m.type === 'new'),
      60_000,
      100,
    );
    const stoppedAt = Date.now();
    const code = await agent.stop('SIGTERM');
    // a clean stop exits 0, not by the signal (containers and systemd report that as a crash) nor by SIGKILL
    expect([code, agent.proc.signalCode]).toEqual([0, null]);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const withClip = await waitFor(
      () => `the clip update; agent output:\n${agent.output().slice(-3000)}`,
      () => messages.find((m) => m.eventId === opened.eventId && m.after.media?.clip),
      5000,
      100,
    );
    expect(withClip.type).toBe('update');
    expect(agent.output()).toMatch(/writing \d+ clips still in their post-roll before stopping/);
    expect(agent.output()).not.toMatch(/Model inference failed|session .*released|Unhandled/i);
  });
});
