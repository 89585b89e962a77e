import mqtt, { type MqttClient } from 'mqtt';
import { EmbeddedBroker } from '../../apps/edge-agent/src/mqtt/embedded-broker';
import { freePort, waitFor } from '../support/ports';

jest.setTimeout(30_000);

/** The embedded broker (aedes) with real MQTT clients: who may connect, write and read what. */
describe('embedded MQTT broker users and topic rules', () => {
  const users = [
    { username: 'north', password: 'north-agent-password', role: 'agent' as const, site: 'north' },
    { username: 'south', password: 'south-agent-password', role: 'agent' as const, site: 'south' },
    { username: 'console', password: 'console-reader-password', role: 'reader' as const },
  ];
  let broker: EmbeddedBroker;
  let url: string;
  const clients: MqttClient[] = [];

  const connect = async (username?: string, password?: string) => {
    const c = await mqtt.connectAsync(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    return c;
  };
  const refusal = (username?: string, password?: string) =>
    connect(username, password).then(
      () => 'connected',
      (err: Error) => err.message,
    );

  beforeAll(async () => {
    const port = await freePort();
    broker = await EmbeddedBroker.start('127.0.0.1', port, { users, topicPrefix: 'vigil', discoveryPrefix: 'homeassistant' });
    url = `mqtt://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker.close();
  });

  it('should refuse anonymous clients and wrong passwords', async () => {
    expect(await refusal()).toMatch(/bad user ?name or password/i);
    expect(await refusal('north', 'not-the-password')).toMatch(/bad user ?name or password/i);
    expect(await refusal('nobody', 'north-agent-password')).toMatch(/bad user ?name or password/i);
  });

  it("should deliver a site's own messages and drop what an agent writes for another site or a reader writes at all", async () => {
    const reader = await connect('console', 'console-reader-password');
    const got: string[] = [];
    reader.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await reader.subscribeAsync({ 'vigil/#': { qos: 1 }, 'homeassistant/#': { qos: 1 } });

    const north = await connect('north', 'north-agent-password');
    await north.publishAsync('vigil/north/events', 'genuine', { qos: 1 });
    await north.publishAsync('homeassistant/binary_sensor/vigil_north_gate/fire/config', '{}', { qos: 1, retain: true });
    // a refused publish ends the offending connection, so each forgery gets its own
    const forge = async (username: string, password: string, topic: string) => {
      const c = await connect(username, password);
      const closed = new Promise<void>((r) => c.once('close', () => r()));
      c.publish(topic, 'forged', { qos: 1 });
      await closed;
    };
    await forge('north', 'north-agent-password', 'vigil/south/events');
    await forge('north', 'north-agent-password', 'vigil/south/availability');
    await forge('north', 'north-agent-password', 'homeassistant/binary_sensor/vigil_south_gate/fire/config');
    await forge('console', 'console-reader-password', 'vigil/north/events');
    // its own topic, but 3 MB: no Vigil message is near that size
    const big = await connect('north', 'north-agent-password');
    const closedBig = new Promise<void>((r) => big.once('close', () => r()));
    big.publish('vigil/north/events', Buffer.alloc(3 * 1024 * 1024, 120), { qos: 1 });
    await closedBig;
    await north.publishAsync('vigil/north/availability', 'online', { qos: 1, retain: true });
    await waitFor('the last genuine message', () => got.some((m) => m.startsWith('vigil/north/availability')), 5000);
    expect(got).toEqual(['vigil/north/events genuine', 'homeassistant/binary_sensor/vigil_north_gate/fire/config {}', 'vigil/north/availability online']);
    expect(broker.refused).toBe(5);
  });

  it("should not let an agent read another site's topics", async () => {
    const south = await connect('south', 'south-agent-password');
    await expect(south.subscribeAsync('vigil/south/#', { qos: 1 })).resolves.toEqual([expect.objectContaining({ topic: 'vigil/south/#', qos: 1 })]);
    await expect(south.subscribeAsync('vigil/north/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
  });
});
