import { SiteConfigSchema } from '../config/site-config.schema';
import { homeAssistantDiscovery, isStaleDiscovery } from './home-assistant';

describe(homeAssistantDiscovery.name, () => {
  const config = SiteConfigSchema.parse({
    site: { id: 'north' },
    cameras: [
      { id: 'gate', name: 'Gate', location: 'Yard', url: 'rtsp://10.0.0.2/s1' },
      { id: 'off', url: 'rtsp://10.0.0.3/s1', enabled: false },
    ],
    events: { smoke: { enabled: false } },
  });

  it('should announce a binary sensor and a snapshot image per enabled camera and kind', () => {
    const [site, ...messages] = homeAssistantDiscovery(config);
    expect(site.topic).toBe('homeassistant/binary_sensor/vigil_north/agent/config');
    expect(JSON.parse(site.payload)).toMatchObject({
      unique_id: 'vigil_north_agent',
      default_entity_id: 'binary_sensor.vigil_north_agent',
      device_class: 'connectivity',
      state_topic: 'vigil/north/availability',
      device: { identifiers: ['vigil_north'] },
      origin: { name: 'Vigil' },
    });
    expect(messages.map((m) => m.topic)).toEqual([
      'homeassistant/binary_sensor/vigil_north_gate/fall/config',
      'homeassistant/image/vigil_north_gate/fall/config',
      'homeassistant/binary_sensor/vigil_north_gate/fire/config',
      'homeassistant/image/vigil_north_gate/fire/config',
    ]);
    const fall = JSON.parse(messages[0].payload);
    expect(fall).toMatchObject({
      unique_id: 'vigil_north_gate_fall',
      device_class: 'safety',
      state_topic: 'vigil/north/gate/fall',
      payload_on: 'ON',
      payload_off: 'OFF',
      availability_mode: 'all',
      availability: [{ topic: 'vigil/north/availability' }, { topic: 'vigil/north/gate/availability' }],
      device: { identifiers: ['vigil_north_gate'], name: 'Gate', suggested_area: 'Yard', via_device: 'vigil_north' },
      default_entity_id: 'binary_sensor.vigil_north_gate_fall',
      origin: { name: 'Vigil' },
    });
    // object_id stopped working in Home Assistant 2026.4
    expect(messages.every((m) => !('object_id' in JSON.parse(m.payload)))).toBe(true);
    expect(JSON.parse(messages[1].payload)).toMatchObject({ image_topic: 'vigil/north/gate/fall/snapshot', content_type: 'image/jpeg' });
  });

  it("should clear only this site's retained configs that are no longer announced", () => {
    const mine = Buffer.from(JSON.stringify({ device: { via_device: 'vigil_north' } }));
    const theirs = Buffer.from(JSON.stringify({ device: { via_device: 'vigil_north_2' } }));
    const announced = new Set(['homeassistant/binary_sensor/vigil_north_gate/fall/config']);
    expect(isStaleDiscovery('homeassistant/binary_sensor/vigil_north_old/fall/config', mine, 'north', announced)).toBe(true);
    expect(isStaleDiscovery('homeassistant/binary_sensor/vigil_north_gate/fall/config', mine, 'north', announced)).toBe(false);
    expect(isStaleDiscovery('homeassistant/binary_sensor/vigil_north_2_cam/fall/config', theirs, 'north', announced)).toBe(false);
    expect(isStaleDiscovery('homeassistant/binary_sensor/vigil_north_old/fall/config', Buffer.alloc(0), 'north', announced)).toBe(false);
    expect(isStaleDiscovery('homeassistant/binary_sensor/x/y/config', Buffer.from('not json'), 'north', announced)).toBe(false);
  });
});
