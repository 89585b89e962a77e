import { topics, type EventKind } from '@vigil/contracts';
import type { SiteConfig } from '../config/site-config.schema';

/** Who made these entities, as Home Assistant shows it (the discovery `origin` block). */
const ORIGIN = { name: 'Vigil' };

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
 * Home Assistant MQTT discovery: the site's agent as a device (a connectivity sensor), and per camera one device
 * via it, with a binary sensor per event kind (ON while an event is open) and an image entity showing the latest
 * event snapshot. Available only while the agent and the camera are. Entity ids are suggested with
 * `default_entity_id` (`object_id` stopped working in Home Assistant 2026.4).
 */
export function homeAssistantDiscovery(config: SiteConfig): RetainedMessage[] {
  const { topicPrefix: prefix, homeAssistant } = config.mqtt;
  const site = config.site.id;
  const siteDevice = { identifiers: [`vigil_${site}`], name: `Vigil ${config.site.name ?? site}`, manufacturer: 'Vigil', model: 'Vigil edge agent' };
  const messages: RetainedMessage[] = [
    {
      topic: topics.homeAssistantSiteConfig(homeAssistant.discoveryPrefix, site),
      payload: JSON.stringify({
        name: 'Agent',
        unique_id: `vigil_${site}_agent`,
        default_entity_id: `binary_sensor.vigil_${site}_agent`,
        device_class: 'connectivity',
        state_topic: topics.availability(prefix, site),
        payload_on: 'online',
        payload_off: 'offline',
        device: siteDevice,
        origin: ORIGIN,
      }),
    },
  ];
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
          default_entity_id: `binary_sensor.${id}`,
          device_class: DEVICE_CLASS[kind],
          state_topic: topics.detection(prefix, site, camera.id, kind),
          payload_on: 'ON',
          payload_off: 'OFF',
          availability,
          availability_mode: 'all',
          json_attributes_topic: topics.cameraState(prefix, site, camera.id),
          device,
          origin: ORIGIN,
        }),
      });
      messages.push({
        topic: topics.homeAssistantConfig(homeAssistant.discoveryPrefix, 'image', site, camera.id, kind),
        payload: JSON.stringify({
          name: `${TITLE[kind]} snapshot`,
          unique_id: `${id}_snapshot`,
          default_entity_id: `image.${id}_snapshot`,
          image_topic: topics.snapshot(prefix, site, camera.id, kind),
          content_type: 'image/jpeg',
          availability,
          availability_mode: 'all',
          device,
          origin: ORIGIN,
        }),
      });
    }
  }
  return messages;
}

/**
 * Whether a retained discovery config found on the broker belongs to this site but is no longer announced (a
 * camera or kind taken out of the config): it is then cleared with an empty retained payload, so the entity
 * leaves Home Assistant instead of staying unavailable forever.
 */
export function isStaleDiscovery(topic: string, payload: Buffer, site: string, announced: ReadonlySet<string>): boolean {
  if (!payload.length || announced.has(topic)) return false;
  try {
    // the camera devices of this site, and only they, are via its agent (a node id prefix could match another site)
    return (JSON.parse(payload.toString('utf8')) as { device?: { via_device?: unknown } }).device?.via_device === `vigil_${site}`;
  } catch {
    return false;
  }
}
