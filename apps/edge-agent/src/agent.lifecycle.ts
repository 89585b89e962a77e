import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CameraManagerService } from './camera/camera-manager.service';
import type { SiteConfig } from './config/site-config.schema';
import { SITE_CONFIG } from './config/site-config.token';
import { EventService } from './events/event.service';
import { ModelRepository } from './inference/model.repository';
import { CONSOLE_USER, openBrokerUsers } from './mqtt/broker-users';
import { MediaService } from './media/media.service';
import { EmbeddedBroker } from './mqtt/embedded-broker';
import { MqttRepository } from './mqtt/mqtt.repository';
import { OutboxPublisherService } from './mqtt/outbox-publisher.service';
import { secretPaths } from './security/secret-paths';
import { AgentToken } from './security/agent-token';
import { SiteKey } from './security/site-key';
import { DATABASE } from './storage/storage.tokens';
import type { Db } from './storage/database';

const SHUTDOWN_DRAIN_MS = 3000;

/** Start-up and shut-down order of the agent, in one place. */
@Injectable()
export class AgentLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Agent');
  private broker?: EmbeddedBroker;

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    @Inject(DATABASE) private readonly db: Db,
    private readonly model: ModelRepository,
    private readonly mqtt: MqttRepository,
    private readonly publisher: OutboxPublisherService,
    private readonly cameras: CameraManagerService,
    private readonly events: EventService,
    private readonly siteKey: SiteKey,
    private readonly token: AgentToken,
    private readonly media: MediaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { embeddedBroker, topicPrefix, homeAssistant, username } = this.config.mqtt;
    const site = this.config.site.id;
    const paths = secretPaths(this.config);
    this.logger.log(
      `site key ${this.siteKey.publicKey} (id ${this.siteKey.id})${this.siteKey.created ? `, made now in ${paths.siteKey}` : ''}: consoles trust this site's events with mqtt.siteKeys.${site}: ["${this.siteKey.publicKey}"]`,
    );
    if (this.token.createdAt) {
      this.logger.warn(
        `made the agent's HTTP token in ${this.token.createdAt} (mode 0600): consoles fetch media with agents.${site}: { url: <this agent's URL>, token: "${this.token.value}" }, Prometheus with "Authorization: Bearer <token>"; it is not shown again`,
      );
    }
    let credentials: { username: string; password: string } | undefined;
    if (embeddedBroker.enabled) {
      const { users, created } = openBrokerUsers(paths.brokerUsers, site);
      this.broker = await EmbeddedBroker.start(embeddedBroker.host, embeddedBroker.port, {
        users,
        topicPrefix,
        discoveryPrefix: homeAssistant.discoveryPrefix,
      });
      this.logger.log(
        `embedded MQTT broker listening on mqtt://${embeddedBroker.host}:${this.broker.port} (users in ${paths.brokerUsers}; anonymous clients are refused)`,
      );
      const reader = users.find((u) => u.username === CONSOLE_USER);
      if (created && reader) {
        this.logger.warn(
          `made MQTT users in ${paths.brokerUsers} (mode 0600). The console connects as mqtt.username "${reader.username}", mqtt.password "${reader.password}"; this password is not shown again`,
        );
      }
      const self = users.find((u) => u.role === 'agent' && u.site === site);
      if (!username && self) credentials = { username: self.username, password: self.password };
    }
    await this.model.load();
    this.events.endInterrupted();
    this.mqtt.connect(credentials);
    this.publisher.start();
    this.cameras.start();
  }

  /**
   * The one place that stops things, in order (Nest runs every provider's own shutdown hook at once, so none of
   * them has one): cameras stop, so no inference runs and no new event starts; clips in their post-roll are
   * written and explanations in flight land, each as an update; the outbox gets a moment to drain; then the
   * broker link, the model, the database and the embedded broker go.
   */
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    const started = Date.now();
    await this.cameras.stop();
    await this.media.close(SHUTDOWN_DRAIN_MS);
    await Promise.race([this.events.drain(), new Promise((r) => setTimeout(r, SHUTDOWN_DRAIN_MS).unref())]);
    await this.publisher.shutdown(SHUTDOWN_DRAIN_MS);
    await this.mqtt.close();
    await this.model.release();
    this.db.close();
    await this.broker?.close();
    this.logger.log(`stopped in ${Date.now() - started} ms; nothing left unsaved`);
  }
}
