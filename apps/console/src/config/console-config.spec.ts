import { loadYamlConfig } from '@vigil/config';
import { resolve } from 'node:path';
import { ConsoleConfigSchema } from './console-config.schema';

describe('console configuration', () => {
  it.each(['console.example.yaml', 'console.yaml'])('should accept the shipped configs/%s', (file) => {
    const config = loadYamlConfig(resolve(__dirname, '../../../../configs', file), ConsoleConfigSchema, { env: {} });
    expect(config.auth).toMatchObject({ sessionHours: 12, secureCookies: false });
    expect(config.mqtt.url).toMatch(/^mqtt:\/\//);
  });
});
