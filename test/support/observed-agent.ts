import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto, type Mosquitto } from './mosquitto';
import { freePort } from './ports';
import { writeSiteConfig, type SiteConfigInput } from './site-config';
import { startNode, type Running } from './processes';

/** The agents' HTTP token in tests. */
export const AGENT_TEST_TOKEN = 'agent-test-token-0123456789';

export interface ObservedAgent {
  agent: Running;
  httpUrl: string;
  /** GET on the agent's HTTP with its bearer token (everything but /health needs it). */
  get(path: string): Promise<Response>;
  /** Every message on the site's events topic, in arrival order. */
  events: EventMessage[];
  stop(): Promise<void>;
}

/**
 * An edge agent for `site` with its cameras and extra site-file lines, on a real mosquitto broker, and an MQTT
 * client recording what it publishes on the events topic. Resolves once the agent says it is up.
 */
export async function startObservedAgent(site: string, settings: Pick<SiteConfigInput, 'cameras' | 'model' | 'events'>): Promise<ObservedAgent> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${site}-agent-`));
  const broker: Mosquitto = await startMosquitto();
  const observer = await mqtt.connectAsync(broker.url, { clientId: `${site}-observer` });
  const events: EventMessage[] = [];
  observer.on('message', (topic, payload) => topic.endsWith('/events') && events.push(JSON.parse(payload.toString()) as EventMessage));
  await observer.subscribeAsync(`vigil/${site}/events`, { qos: 1 });
  const port = await freePort();
  const config = join(dir, 'agent.yaml');
  writeSiteConfig(config, {
    site: { id: site },
    ...settings,
    mqtt: { url: broker.url },
    storage: { path: join(dir, 'agent.db') },
    media: { dir: join(dir, 'media'), clipPostSeconds: 1 },
    http: { port, token: AGENT_TEST_TOKEN },
  });

  const agent = startNode('apps/edge-agent/src/main.js', ['--config', config]);
  await agent.waitForLine(new RegExp(`edge agent for site \\\\?"${site}\\\\?" up`), 30_000);
  return {
    agent,
    httpUrl: `http://127.0.0.1:${port}`,
    get: (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${AGENT_TEST_TOKEN}` } }),
    events,
    stop: async () => {
      await observer.endAsync(true);
      await agent.stop();
      await broker.stop();
    },
  };
}
