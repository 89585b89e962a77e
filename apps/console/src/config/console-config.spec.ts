import { loadYamlConfig } from '@vigil/config';
import { resolve } from 'node:path';
import { ConsoleConfigSchema } from './console-config.schema';

describe('console configuration', () => {
  it.each(['console.example.yaml', 'console.yaml'])('should accept the shipped configs/%s', (file) => {
    // the secrets the shipped files take from the environment (npm start sets the VIGIL_ ones from the agent's first start)
    const env = {
      MQTT_PASSWORD: 'a-password',
      VIGIL_MQTT_PASSWORD: 'a-password',
      VIGIL_DEMO_SITE_KEY: `ed25519:${Buffer.alloc(32, 7).toString('base64')}`,
      VIGIL_AGENT_TOKEN: 'a-token-of-sixteen-chars',
    };
    const config = loadYamlConfig(resolve(__dirname, '../../../../configs', file), ConsoleConfigSchema, { env });
    expect(config.auth).toMatchObject({ sessionHours: 12, secureCookies: false });
    expect(config.mqtt.url).toMatch(/^mqtt:\/\//);
  });
});
