import { Inject, Injectable, Logger } from '@nestjs/common';
import { ACK_SCHEMA_ID, AVAILABILITY, topics, type AckMessage } from '@vigil/contracts';
import { redactUrl } from '@vigil/streams';
import mqtt, { type MqttClient } from 'mqtt';
import { type ConsoleConfig } from '../config/console-config.schema';
import { CONSOLE_CONFIG } from '../config/console-config.token';
import { CamerasService } from '../cameras/cameras.service';
import { EventsService } from '../events/events.service';

/**
 * Subscribes to every site's events with a persistent session (clean: false, fixed client id), so the broker
 * keeps QoS 1 messages for the console while it is down and delivers them when it is back, and acknowledges each
 * stored event message on the site's `acks` topic, so the agent keeps it until then.
 */
@Injectable()
export class MqttIngestService {
  private readonly logger = new Logger(MqttIngestService.name);
  private client?: MqttClient;
  private lastError?: string;

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly events: EventsService,
    private readonly cameras: CamerasService,
  ) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and subscribes; reconnects by itself from then on (ConsoleLifecycle starts it). */
  start(): void {
    const { url, username, password, clientId, topicPrefix, sharedGroup } = this.config.mqtt;
    const { events: eventsFilter, availability: availabilityFilter, cameraState: stateFilter } = topics.consumerFilters(topicPrefix);
    // with a shared group the broker hands each event to one replica; states stay per replica (retained, small)
    const shared = (filter: string) => (sharedGroup ? `$share/${sharedGroup}/${filter}` : filter);
    const client = mqtt.connect(url, { clientId, username, password, clean: false, reconnectPeriod: 2000, connectTimeout: 10_000 });
    client.on('connect', (ack) => {
      this.lastError = undefined;
      this.logger.log(
        `connected to MQTT broker ${redactUrl(url)}${ack.sessionPresent ? ' (session resumed)' : ''}${sharedGroup ? ` in shared group "${sharedGroup}"` : ''}`,
      );
      client.subscribe({ [shared(eventsFilter)]: { qos: 1 }, [availabilityFilter]: { qos: 1 }, [stateFilter]: { qos: 1 } }, (err) => {
        if (err) this.logger.error(`cannot subscribe to ${eventsFilter}: ${err.message}`);
      });
    });
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      const parsed = topics.parse(topicPrefix, topic);
      if (parsed?.kind === 'availability') this.cameras.siteAvailability(parsed.site, text === AVAILABILITY.online);
      else if (parsed?.kind === 'camera-state') this.cameras.cameraState(parsed.site, parsed.camera, text);
      else if (parsed?.kind === 'events') {
        const { ack } = this.events.ingest(text, parsed.site);
        // the receipt lets the agent drop the message from its outbox; stored or already had, both count
        if (ack) {
          const receipt: AckMessage = { schema: ACK_SCHEMA_ID, ...ack };
          client.publish(
            topics.acks(topicPrefix, parsed.site),
            JSON.stringify(receipt),
            { qos: 1 },
            (err) => err && this.logger.warn(`cannot acknowledge ${ack.eventId}/${ack.seq}: ${err.message}; the agent sends it again`),
          );
        }
      }
    });
    client.on('error', (err) => {
      const message = `MQTT broker ${redactUrl(url)}: ${err.message}`;
      if (message !== this.lastError) this.logger.error(message);
      this.lastError = message;
    });
    client.on('offline', () => this.logger.warn(`MQTT broker ${redactUrl(url)} unreachable; retrying`));
    this.client = client;
  }

  /** Disconnects; ConsoleLifecycle calls it before the database closes, so no message arrives into a closed store. */
  async stop(): Promise<void> {
    await this.client?.endAsync();
  }
}
