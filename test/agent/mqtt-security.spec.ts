import mqtt from 'mqtt';
import { readFileSync } from 'node:fs';
import { SiteConfigSchema } from '../../apps/edge-agent/src/config/site-config.schema';
import { MqttRepository } from '../../apps/edge-agent/src/mqtt/mqtt.repository';
import { makeTestPki, type TestPki } from '../support/certificates';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { waitFor } from '../support/ports';

jest.setTimeout(30_000);

/** The agent's MQTT connection against mosquitto with a password file and TLS from a CA made by openssl. */
describe('MQTT username, password and TLS (mosquitto)', () => {
  const user = { name: 'edge', password: 's3cret-pass' };
  let pki: TestPki;
  let broker: Mosquitto;
  const repos: MqttRepository[] = [];

  function repo(mqttConfig: Record<string, unknown>): MqttRepository {
    const config = SiteConfigSchema.parse({ site: { id: 'secure' }, cameras: [{ id: 'gate', url: 'x.mp4' }], mqtt: { url: broker.url, ...mqttConfig } });
    const r = new MqttRepository(config);
    repos.push(r);
    r.connect();
    return r;
  }

  beforeAll(async () => {
    pki = makeTestPki();
    broker = await startMosquitto({ user, tls: { cert: pki.cert, key: pki.key } });
  });

  afterAll(async () => {
    await Promise.all(repos.map((r) => r.close()));
    await broker?.stop();
  });

  it('should connect over TLS with the right CA and password and publish with PUBACK', async () => {
    const r = repo({ username: user.name, password: user.password, tls: { ca: pki.ca } });
    await waitFor(
      () => `a TLS connection (last error: ${r.error})`,
      () => r.connected,
      10_000,
    );
    const sub = await mqtt.connectAsync(broker.url, { username: user.name, password: user.password, ca: readFileSync(pki.ca), clientId: 'tls-observer' });
    const got = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
    await sub.subscribeAsync('vigil/secure/events', { qos: 1 });
    await r.publish('vigil/secure/events', 'over-tls', { qos: 1, retain: false });
    expect(await got).toBe('over-tls');
    await sub.endAsync();
  });

  it('should say the password is wrong, naming the settings to fix', async () => {
    const r = repo({ username: user.name, password: 'wrong', tls: { ca: pki.ca } });
    await waitFor('an authentication error', () => r.error, 10_000);
    expect(r.connected).toBe(false);
    expect(r.error).toMatch(/refused the connection: (bad username or password|not authorized); check mqtt\.username and mqtt\.password/);
    expect(r.error).not.toContain('wrong');
  });

  it('should refuse a broker certificate from another CA and say to set mqtt.tls.ca', async () => {
    const r = repo({ username: user.name, password: user.password, tls: { ca: pki.otherCa } });
    await waitFor('a TLS trust error', () => r.error, 10_000);
    expect(r.connected).toBe(false);
    expect(r.error).toMatch(/TLS certificate is not trusted .*set mqtt\.tls\.ca/);
  });
});
