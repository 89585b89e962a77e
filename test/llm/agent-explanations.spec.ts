import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startOpenAiServer } from '../support/openai-server';
import { freePort, waitFor } from '../support/ports';
import { startNode, stopAll, type Running } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

jest.setTimeout(120_000);

type OpenAiServer = Awaited<ReturnType<typeof startOpenAiServer>>;
interface Received {
  at: number;
  message: EventMessage;
}

/**
 * The real agent (ffmpeg, onnxruntime, SQLite, mosquitto) with an OpenAI-compatible server on 127.0.0.1 that
 * answers slowly, fails with 500, or sends a broken body: the alarm goes out at once with the template, and
 * the LLM's explanation follows as an update only when there is a good one.
 */
describe('edge agent with an LLM explainer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-llm-agent-'));
  const SLOW_MS = 4000;
  let broker: Mosquitto;
  let observer: mqtt.MqttClient;
  const received = new Map<string, Received[]>();
  const servers: Record<'slow' | 'error500' | 'invalid', OpenAiServer | undefined> = { slow: undefined, error500: undefined, invalid: undefined };
  const agents: Record<string, Running> = {};

  async function startAgent(site: string, server: OpenAiServer, clip: string): Promise<Running> {
    const path = join(dir, `${site}.yaml`);
    writeSiteConfig(path, {
      site: { id: site, name: `LLM ${site}` },
      cameras: [{ id: 'desk', name: 'Desk camera', location: 'Reception', url: clip }],
      mqtt: { url: broker.url },
      storage: { path: join(dir, `${site}.db`) },
      media: { dir: join(dir, `${site}-media`) },
      http: { port: await freePort() },
      explanations: {
        provider: 'openai-compatible',
        baseUrl: server.baseUrl,
        model: 'test-vlm',
        apiKeyEnv: 'TEST_LLM_KEY',
        vision: true,
        timeoutSeconds: 10,
        retries: 1,
      },
      model: { fall: 'video' }, // the fixture's rendered figure: falls from the video model
      events: { fall: { cooldownSeconds: 3600 } },
    });
    const agent = startNode('apps/edge-agent/src/main.js', ['--config', path], { TEST_LLM_KEY: 'sk-local-test' });
    await agent.waitForLine(/edge agent for site \\?"[a-z0-9-]+\\?" up/, 30_000);
    return agent;
  }

  const messagesOf = (site: string) => received.get(site) ?? [];
  const firstFall = (site: string) => messagesOf(site).find((r) => r.message.type === 'new' && r.message.after.kind === 'fall');

  beforeAll(async () => {
    const clip = await fixtureClip('fall');
    broker = await startMosquitto();
    observer = await mqtt.connectAsync(broker.url, { clientId: 'llm-observer' });
    await observer.subscribeAsync('vigil/+/events', { qos: 1 });
    observer.on('message', (topic, payload) => {
      const site = topic.split('/')[1];
      received.set(site, [...messagesOf(site), { at: Date.now(), message: JSON.parse(payload.toString()) as EventMessage }]);
    });
    servers.slow = await startOpenAiServer();
    servers.slow.set('slow', { slowMs: SLOW_MS });
    servers.error500 = await startOpenAiServer();
    servers.error500.set('error500');
    servers.invalid = await startOpenAiServer();
    servers.invalid.set('invalid-json');
    [agents.slow, agents.error500, agents.invalid] = await Promise.all([
      startAgent('llm-slow', servers.slow, clip),
      startAgent('llm-500', servers.error500, clip),
      startAgent('llm-invalid', servers.invalid, clip),
    ]);
  });

  afterAll(async () => {
    await Promise.all(Object.values(agents).map((a) => a.stop()));
    await observer?.endAsync();
    await Promise.all(Object.values(servers).map((s) => s?.close()));
    await broker?.stop();
    await stopAll();
  });

  it('should publish the alarm at once and the slow LLM explanation as a later update', async () => {
    const start = await waitFor(
      () => `a new fall event on llm-slow; agent output:\n${agents.slow.output().slice(-3000)}`,
      () => firstFall('llm-slow'),
      60_000,
    );
    expect(start.message.after.explanation).toMatchObject({ source: 'template' });
    expect(start.message.before).toBeNull();
    const update = await waitFor(
      'the LLM explanation update',
      () => messagesOf('llm-slow').find((r) => r.message.eventId === start.message.eventId && r.message.after.explanation?.source === 'llm'),
      SLOW_MS + 15_000,
    );
    // the alarm did not wait for the LLM: it arrived at least the LLM's delay before the explanation
    expect(update.at - start.at).toBeGreaterThanOrEqual(SLOW_MS - 500);
    expect(update.message.type).toBe('update');
    expect(update.message.seq).toBeGreaterThan(start.message.seq);
    // before/after: the update says what the explanation was and what it is now
    expect(update.message.before?.explanation?.source).toBe('template');
    expect(update.message.after.explanation).toMatchObject({
      source: 'llm',
      text: 'A person fell in the corridor and did not get up for 6 seconds.',
      severity: 'high',
      suggestedAction: 'Send staff to the corridor now.',
      model: 'test-vlm',
      promptVersion: 'event-explanation/1',
      usage: { promptTokens: 321, completionTokens: 54 },
    });

    const request = servers.slow!.requests[0];
    expect(request.authorization).toBe('Bearer sk-local-test');
    expect(request.model).toBe('test-vlm');
    const user = request.messages[1].content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    const facts = user.find((p) => p.type === 'text')!.text!;
    expect(facts).toContain('Event: possible fall');
    expect(facts).toContain('Camera: "Desk camera", location: Reception');
    expect(facts).toMatch(/Scores since the event opened \(seconds: score\): 0\.0s:\d+%/);
    expect(user.find((p) => p.type === 'image_url')?.image_url?.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
  });

  it.each([
    ['llm-500', 'error500', /failed with status 500/],
    ['llm-invalid', 'invalid', /is not JSON/],
  ] as const)('should keep the template explanation on %s and say why in the log', async (site, key, reason) => {
    const start = await waitFor(
      () => `a new fall event on ${site}`,
      () => firstFall(site),
      60_000,
    );
    expect(start.message.after.explanation?.source).toBe('template');
    await waitFor(
      () => `the fallback in the log of ${site}:\n${agents[key].output().slice(-2000)}`,
      () => reason.test(agents[key].output()) && /keeping the template explanation/.test(agents[key].output()),
      20_000,
    );
    expect(servers[key]!.requests.length).toBeGreaterThanOrEqual(1);
    expect(messagesOf(site).some((r) => r.message.after.explanation?.source === 'llm')).toBe(false);
  });

  it('should leave retained ON, the snapshot and Home Assistant discovery for late subscribers', async () => {
    await waitFor('a new fall event on llm-slow', () => firstFall('llm-slow'), 60_000);
    const late = await mqtt.connectAsync(broker.url, { clientId: 'late-subscriber' });
    const retained = new Map<string, Buffer>();
    late.on('message', (topic, payload, packet) => packet.retain && retained.set(topic, payload));
    try {
      await late.subscribeAsync(['vigil/llm-slow/desk/#', 'homeassistant/+/vigil_llm-slow_desk/+/config'], { qos: 1 });
      await waitFor(
        'the retained messages',
        () => retained.has('vigil/llm-slow/desk/fall/snapshot') && retained.has('homeassistant/image/vigil_llm-slow_desk/fall/config'),
        5000,
      );
    } finally {
      await late.endAsync(true);
    }
    // cooldown is an hour, so the first fall event may still be open or may have ended: ON or OFF, never missing
    expect(['ON', 'OFF']).toContain(retained.get('vigil/llm-slow/desk/fall')?.toString());
    expect(retained.get('vigil/llm-slow/desk/smoke')?.toString()).toBe('OFF');
    expect(retained.get('vigil/llm-slow/desk/fall/snapshot')!.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(retained.get('vigil/llm-slow/desk/availability')?.toString()).toBe('online');
    const sensor = JSON.parse(retained.get('homeassistant/binary_sensor/vigil_llm-slow_desk/fall/config')!.toString());
    expect(sensor).toMatchObject({
      state_topic: 'vigil/llm-slow/desk/fall',
      device_class: 'safety',
      device: { name: 'Desk camera', suggested_area: 'Reception' },
    });
  });
});
