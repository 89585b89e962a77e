import mqtt from 'mqtt';
import { SiteConfigSchema } from '../../apps/edge-agent/src/config/site-config.schema';
import { MqttRepository } from '../../apps/edge-agent/src/mqtt/mqtt.repository';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { waitFor } from '../support/ports';

jest.setTimeout(30_000);

/** A camera taken out of the site file leaves Home Assistant: its retained discovery configs are cleared (mosquitto). */
describe('Home Assistant discovery cleanup', () => {
  let broker: Mosquitto;

  afterAll(async () => broker?.stop());

  it("should clear the retained configs of a removed camera and leave another site's alone", async () => {
    broker = await startMosquitto();
    const seed = await mqtt.connectAsync(broker.url, { clientId: 'ha-seed' });
    const old = 'homeassistant/binary_sensor/vigil_north_old/fall/config';
    const other = 'homeassistant/binary_sensor/vigil_north_2_cam/fall/config';
    await seed.publishAsync(old, JSON.stringify({ device: { identifiers: ['vigil_north_old'], via_device: 'vigil_north' } }), { qos: 1, retain: true });
    await seed.publishAsync(other, JSON.stringify({ device: { identifiers: ['vigil_north_2_cam'], via_device: 'vigil_north_2' } }), { qos: 1, retain: true });
    await seed.endAsync();

    const repo = new MqttRepository(SiteConfigSchema.parse({ site: { id: 'north' }, cameras: [{ id: 'gate', url: 'x.mp4' }], mqtt: { url: broker.url } }));
    repo.connect();
    const retained = async () => {
      const c = await mqtt.connectAsync(broker.url, { clientId: `ha-check-${Date.now()}` });
      const seen = new Map<string, string>();
      c.on('message', (t, p, packet) => packet.retain && seen.set(t, p.toString()));
      await c.subscribeAsync('homeassistant/#', { qos: 1 });
      await new Promise((r) => setTimeout(r, 300));
      await c.endAsync();
      return seen;
    };
    const after = await waitFor(
      'the removed camera cleared',
      async () => {
        const seen = await retained();
        return !seen.has(old) && seen.has('homeassistant/binary_sensor/vigil_north_gate/fall/config') && seen;
      },
      10_000,
      200,
    );
    expect(after.has(other)).toBe(true);
    expect(after.has('homeassistant/binary_sensor/vigil_north/agent/config')).toBe(true);
    await repo.close();
  });
});
