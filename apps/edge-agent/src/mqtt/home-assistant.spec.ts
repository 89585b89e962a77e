import { SiteConfigSchema } from '../config/site-config.schema';
import { homeAssistantDiscovery } from './home-assistant';

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
    const messages = homeAssistantDiscovery(config);
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
      device: { identifiers: ['vigil_north_gate'], name: 'Gate', suggested_area: 'Yard' },
    });
    expect(JSON.parse(messages[1].payload)).toMatchObject({ image_topic: 'vigil/north/gate/fall/snapshot', content_type: 'image/jpeg' });
  });
});
