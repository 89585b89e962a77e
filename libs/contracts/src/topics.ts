/** MQTT topic layout. Every producer and consumer builds topics here and nowhere else. */
export const DEFAULT_TOPIC_PREFIX = 'vigil';

export const topics = {
  events: (prefix: string, site: string) => `${prefix}/${site}/events`,
  availability: (prefix: string, site: string) => `${prefix}/${site}/availability`,
  /** A console's receipts for a site's event messages it has stored (AckMessage), so the agent can let them go. */
  acks: (prefix: string, site: string) => `${prefix}/${site}/acks`,
  /** Retained `online`/`offline` per camera: online while frames flow. */
  cameraAvailability: (prefix: string, site: string, camera: string) => `${prefix}/${site}/${camera}/availability`,
  /** Retained JSON health of one camera (state, fps, reconnects, last error), updated on every state change. */
  cameraState: (prefix: string, site: string, camera: string) => `${prefix}/${site}/${camera}/state`,
  /** Retained `ON` while an event of `kind` is open on the camera, `OFF` otherwise (Home Assistant binary sensor). */
  detection: (prefix: string, site: string, camera: string, kind: string) => `${prefix}/${site}/${camera}/${kind}`,
  /** Retained JPEG of the latest event of `kind` on the camera (raw bytes, not JSON). */
  snapshot: (prefix: string, site: string, camera: string, kind: string) => `${prefix}/${site}/${camera}/${kind}/snapshot`,
  /** Home Assistant MQTT discovery config topic of one entity. */
  homeAssistantConfig: (discoveryPrefix: string, component: 'binary_sensor' | 'image', site: string, camera: string, kind: string) =>
    `${discoveryPrefix}/${component}/vigil_${site}_${camera}/${kind}/config`.replace(/[^A-Za-z0-9_/-]/g, '_'),
  /** The site's own Home Assistant device (the agent), which every camera device is `via`. */
  homeAssistantSiteConfig: (discoveryPrefix: string, site: string) =>
    `${discoveryPrefix}/binary_sensor/vigil_${site}/agent/config`.replace(/[^A-Za-z0-9_/-]/g, '_'),
  /** Subscription filters that find every Vigil discovery config, to clear those of cameras no longer configured. */
  homeAssistantConfigFilters: (discoveryPrefix: string) => [`${discoveryPrefix}/binary_sensor/+/+/config`, `${discoveryPrefix}/image/+/+/config`],
  /** What a consumer subscribes to: every site's events, site availability and camera states. */
  consumerFilters: (prefix: string) => ({ events: `${prefix}/+/events`, availability: `${prefix}/+/availability`, cameraState: `${prefix}/+/+/state` }),
  /** Which of the layout's topics `topic` is, and for which site (and camera); undefined for anything else. */
  parse(prefix: string, topic: string): ParsedTopic | undefined {
    if (!topic.startsWith(`${prefix}/`)) return undefined;
    const parts = topic.slice(prefix.length + 1).split('/');
    if (parts.some((p) => p === '')) return undefined;
    if (parts.length === 2 && (parts[1] === 'events' || parts[1] === 'availability' || parts[1] === 'acks')) return { kind: parts[1], site: parts[0] };
    if (parts.length === 3 && (parts[2] === 'state' || parts[2] === 'availability'))
      return { kind: parts[2] === 'state' ? 'camera-state' : 'camera-availability', site: parts[0], camera: parts[1] };
    return undefined;
  },
};

export type ParsedTopic =
  { kind: 'events' | 'availability' | 'acks'; site: string } | { kind: 'camera-state' | 'camera-availability'; site: string; camera: string };

export const AVAILABILITY = { online: 'online', offline: 'offline' } as const;
export const DETECTION = { on: 'ON', off: 'OFF' } as const;
