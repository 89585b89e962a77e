import mqtt, { type MqttClient } from 'mqtt';
import { join } from 'node:path';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { waitFor } from '../support/ports';

jest.setTimeout(30_000);

/** The shipped docker/mosquitto.acl on a real mosquitto: agents write only their own site, the console only reads. */
describe('shipped mosquitto ACL', () => {
  const users = [
    { name: 'north', password: 'north-agent-password' },
    { name: 'south', password: 'south-agent-password' },
    { name: 'console', password: 'console-reader-password' },
  ];
  let broker: Mosquitto;
  const clients: MqttClient[] = [];
  const connect = async (name?: string) => {
    const c = await mqtt.connectAsync(broker.url, {
      username: name,
      password: users.find((u) => u.name === name)?.password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    broker = await startMosquitto({ users, aclFile: join(__dirname, '..', '..', 'docker', 'mosquitto.acl') });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.stop();
  });

  it('should refuse anonymous clients', async () => {
    await expect(connect()).rejects.toThrow(/not authori[sz]ed|bad user/i);
  });

  it("should deliver each site's own messages and drop another site's or the console's writes", async () => {
    const reader = await connect('console');
    const got: string[] = [];
    reader.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await reader.subscribeAsync({ 'vigil/#': { qos: 1 }, 'homeassistant/#': { qos: 1 } });
    const north = await connect('north');
    const south = await connect('south');
    await north.publishAsync('vigil/north/events', 'genuine', { qos: 1 });
    // mosquitto drops a denied publish and may close the connection: each forgery gets its own
    const forge = async (name: string, topic: string, retain = false) => {
      const c = await connect(name);
      c.publish(topic, `forged by ${name}`, { qos: 1, retain });
      await new Promise((r) => setTimeout(r, 300));
      await c.endAsync(true);
    };
    await forge('north', 'vigil/south/events');
    await forge('north', 'vigil/south/availability', true);
    await forge('console', 'vigil/north/events');
    await north.publishAsync('homeassistant/binary_sensor/vigil_north_gate/fire/config', '{}', { qos: 1 });
    await reader.publishAsync('vigil/north/acks', 'receipt', { qos: 1 });
    await south.publishAsync('vigil/south/availability', 'online', { qos: 1, retain: true });
    await waitFor('the last genuine message', () => got.includes('vigil/south/availability online'), 5000);
    expect(got).toEqual([
      'vigil/north/events genuine',
      'homeassistant/binary_sensor/vigil_north_gate/fire/config {}',
      'vigil/north/acks receipt',
      'vigil/south/availability online',
    ]);
  });
});
