import { Inject, Injectable, Logger } from '@nestjs/common';
import { AckMessageSchema, AVAILABILITY, DETECTION, topics } from '@vigil/contracts';
import { redactUrl } from '@vigil/streams';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { enabledKinds, homeAssistantDiscovery, isStaleDiscovery } from './home-assistant';

const PUBACK_TIMEOUT_MS = 10_000;

/**
 * The agent's MQTT connection. Announces `online` (retained) on every connect and leaves `offline` as its last
 * will, so subscribers learn of a dead agent from the broker. Publishing never queues inside mqtt.js: when the
 * broker is away it fails at once and the durable outbox keeps the message.
 */
@Injectable()
export class MqttRepository {
  private readonly logger = new Logger(MqttRepository.name);
  private client?: MqttClient;
  private lastError?: string;
  /** Retained state topics (discovery, availability, detections, snapshots): re-sent on every reconnect, latest value only. */
  private readonly states = new Map<string, string | Buffer>();
  private ackHandler?: (eventId: string, seq: number) => void;
  /** Acknowledgement messages that were not valid. */
  badAcks = 0;

  constructor(@Inject(SITE_CONFIG) private readonly config: SiteConfig) {}

  /** `credentials` replace mqtt.username and mqtt.password (the agent's own user on its embedded broker). */
  connect(credentials?: { username: string; password: string }): void {
    const { url, clientId, topicPrefix, homeAssistant } = this.config.mqtt;
    const { username, password } = credentials ?? this.config.mqtt;
    const site = this.config.site.id;
    const availability = topics.availability(topicPrefix, site);
    const announced = new Set<string>();
    if (homeAssistant.discovery) {
      for (const m of homeAssistantDiscovery(this.config)) {
        this.states.set(m.topic, m.payload);
        announced.add(m.topic);
      }
    }
    // no event survives a restart open: every detection starts OFF
    for (const camera of this.config.cameras.filter((c) => c.enabled)) {
      for (const kind of enabledKinds(this.config)) this.states.set(topics.detection(topicPrefix, site, camera.id, kind), DETECTION.off);
    }
    const client = mqtt.connect(url, {
      ...this.tlsOptions(),
      clientId: clientId ?? `vigil-agent-${this.config.site.id}`,
      username,
      password,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      queueQoSZero: false,
      will: { topic: availability, payload: Buffer.from(AVAILABILITY.offline), qos: 1, retain: true },
    });
    const acks = topics.acks(topicPrefix, site);
    client.on('connect', () => {
      this.lastError = undefined;
      this.logger.log(`connected to MQTT broker ${redactUrl(url)}`);
      client.publish(availability, AVAILABILITY.online, { qos: 1, retain: true });
      for (const [topic, payload] of this.states) client.publish(topic, payload, { qos: 1, retain: true });
      // retained configs of cameras taken out of the site file: cleared so Home Assistant removes their entities
      if (homeAssistant.discovery) client.subscribe(topics.homeAssistantConfigFilters(homeAssistant.discoveryPrefix), { qos: 1 });
      if (this.config.mqtt.endToEndAcks) {
        client.subscribe(
          acks,
          { qos: 1 },
          (err) => err && this.logger.error(`cannot subscribe to ${acks}: ${err.message}; event messages will be re-sent until a console acknowledges them`),
        );
      }
    });
    client.on('message', (topic, payload, packet) => {
      if (packet.retain && homeAssistant.discovery && isStaleDiscovery(topic, payload, site, announced)) {
        this.logger.log(`removing the Home Assistant entity ${topic}: its camera or kind is no longer in the site file`);
        client.publish(topic, '', { qos: 1, retain: true });
        return;
      }
      if (topic !== acks) return;
      let ack;
      try {
        ack = AckMessageSchema.parse(JSON.parse(payload.toString('utf8')));
      } catch {
        this.badAcks++;
        return;
      }
      this.ackHandler?.(ack.eventId, ack.seq);
    });
    client.on('error', (err) => {
      const message = describeMqttError(err, url);
      if (message !== this.lastError) this.logger.error(message);
      this.lastError = message;
    });
    client.on('offline', () => this.logger.warn(`MQTT broker ${redactUrl(url)} unreachable; events are kept in the outbox until it is back`));
    this.client = client;
  }

  /** Hears consoles' acknowledgements of event messages (with mqtt.endToEndAcks). */
  onAck(handler: (eventId: string, seq: number) => void): void {
    this.ackHandler = handler;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /**
   * Sets a retained state topic. Only the latest value matters, so it is not queued in the outbox: it is sent now
   * if connected and again on every reconnect.
   */
  setState(topic: string, payload: string | Buffer): void {
    const previous = this.states.get(topic);
    if (previous !== undefined && (typeof payload === 'string' ? previous === payload : Buffer.isBuffer(previous) && previous.equals(payload))) return;
    this.states.set(topic, payload);
    if (this.client?.connected) this.client.publish(topic, payload, { qos: 1, retain: true });
  }

  private tlsOptions(): Partial<IClientOptions> {
    const { tls } = this.config.mqtt;
    const read = (path: string | undefined) => (path ? readFileSync(path) : undefined);
    return { ca: read(tls.ca), cert: read(tls.cert), key: read(tls.key), rejectUnauthorized: tls.rejectUnauthorized };
  }

  /** Resolves on PUBACK (QoS 1); rejects when disconnected or when no PUBACK arrives in time. */
  async publish(topic: string, payload: string, options: { qos: 0 | 1 | 2; retain: boolean }): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new Error('not connected to the MQTT broker');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.publishAsync(topic, payload, options),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no PUBACK within ${PUBACK_TIMEOUT_MS / 1000} s`)), PUBACK_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Publishes `offline` (the will only fires on an unclean disconnect) and closes the connection. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      const prefix = this.config.mqtt.topicPrefix;
      const site = this.config.site.id;
      const offline = [topics.availability(prefix, site), ...this.config.cameras.map((c) => topics.cameraAvailability(prefix, site, c.id))];
      await Promise.all(offline.map((t) => client.publishAsync(t, AVAILABILITY.offline, { qos: 1, retain: true }).catch(() => undefined)));
    }
    await client.endAsync();
  }
}

export function describeMqttError(err: Error & { code?: number | string }, url: string): string {
  const where = `MQTT broker ${redactUrl(url)}`;
  if (err.code === 5 || /not authori[sz]ed/i.test(err.message)) return `${where} refused the connection: not authorized; check mqtt.username and mqtt.password`;
  if (err.code === 4 || /bad user ?name or password/i.test(err.message))
    return `${where} refused the connection: bad username or password; check mqtt.username and mqtt.password`;
  if (err.code === 'ECONNREFUSED') return `${where} refused the TCP connection; is the broker running and is mqtt.url right?`;
  if (err.code === 'ENOTFOUND') return `${where}: host not found; check mqtt.url`;
  if (/self[- ]signed|unable to (get|verify)|certificate/i.test(err.message) || /CERT|SELF_SIGNED/.test(String(err.code))) {
    return `${where}: the broker's TLS certificate is not trusted (${err.message}); set mqtt.tls.ca to the CA that signed it`;
  }
  if (/wrong version number|EPROTO/i.test(err.message))
    return `${where}: TLS handshake failed (${err.message}); is this a TLS port? use mqtt:// for plain MQTT`;
  return `${where}: ${err.message}`;
}
