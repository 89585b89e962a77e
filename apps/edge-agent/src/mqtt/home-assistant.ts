import { topics, type EventKind } from '@vigil/contracts';
import type { SiteConfig } from '../config/site-config.schema';

const DEVICE_CLASS: Record<EventKind, string> = { fall: 'safety', fire: 'heat', smoke: 'smoke' };
const TITLE: Record<EventKind, string> = { fall: 'Fall', fire: 'Fire', smoke: 'Smoke' };

export interface RetainedMessage {
  topic: string;
  payload: string;
}

/** The kinds the site raises events for, in a stable order. */
export function enabledKinds(config: SiteConfig): EventKind[] {
  return (Object.keys(config.events) as EventKind[]).filter((k) => config.events[k].enabled);
}

/**
 * Home Assistant MQTT discovery: per camera, one device with a binary sensor per event kind (ON while an event is
 * open) and an image entity showing the latest event snapshot. Available only while the agent and the camera are.
 */
export function homeAssistantDiscovery(config: SiteConfig): RetainedMessage[] {
  const { topicPrefix: prefix, homeAssistant } = config.mqtt;
  const site = config.site.id;
  const messages: RetainedMessage[] = [];
  for (const camera of config.cameras.filter((c) => c.enabled)) {
    const device = {
      identifiers: [`vigil_${site}_${camera.id}`],
      name: camera.name ?? camera.id,
      manufacturer: 'Vigil',
      model: 'Vigil edge agent camera',
      via_device: `vigil_${site}`,
      ...(camera.location ? { suggested_area: camera.location } : {}),
    };
    const availability = [{ topic: topics.availability(prefix, site) }, { topic: topics.cameraAvailability(prefix, site, camera.id) }];
    for (const kind of enabledKinds(config)) {
      const id = `vigil_${site}_${camera.id}_${kind}`;
      messages.push({
        topic: topics.homeAssistantConfig(homeAssistant.discoveryPrefix, 'binary_sensor', site, camera.id, kind),
        payload: JSON.stringify({
          name: TITLE[kind],
          unique_id: id,
          object_id: id,
          device_class: DEVICE_CLASS[kind],
          state_topic: topics.detection(prefix, site, camera.id, kind),
          payload_on: 'ON',
          payload_off: 'OFF',
          availability,
          availability_mode: 'all',
          json_attributes_topic: topics.cameraState(prefix, site, camera.id),
          device,
        }),
      });
      messages.push({
        topic: topics.homeAssistantConfig(homeAssistant.discoveryPrefix, 'image', site, camera.id, kind),
        payload: JSON.stringify({
          name: `${TITLE[kind]} snapshot`,
          unique_id: `${id}_snapshot`,
          object_id: `${id}_snapshot`,
          image_topic: topics.snapshot(prefix, site, camera.id, kind),
          content_type: 'image/jpeg',
          availability,
          availability_mode: 'all',
          device,
        }),
      });
    }
  }
  return messages;
}
