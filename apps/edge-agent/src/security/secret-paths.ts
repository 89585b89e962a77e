import { dirname, join, resolve } from 'node:path';
import type { SiteConfig } from '../config/site-config.schema';

/** Where the agent keeps its secrets: as configured, or beside its database. */
export function secretPaths(config: Pick<SiteConfig, 'mqtt' | 'storage'>): { siteKey: string; brokerUsers: string; agentToken: string } {
  const dir = dirname(resolve(config.storage.path));
  return {
    agentToken: join(dir, 'agent-token'),
    siteKey: resolve(config.mqtt.signingKey ?? join(dir, 'site-key.pem')),
    brokerUsers: resolve(config.mqtt.embeddedBroker.users ?? join(dir, 'mqtt-users.json')),
  };
}
