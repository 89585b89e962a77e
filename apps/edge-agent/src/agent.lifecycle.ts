import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CameraManagerService } from './camera/camera-manager.service';
import type { SiteConfig } from './config/site-config.schema';
import { SITE_CONFIG } from './config/site-config.token';
import { EventService } from './events/event.service';
import { ModelRepository } from './inference/model.repository';
import { EmbeddedBroker } from './mqtt/embedded-broker';
import { MqttRepository } from './mqtt/mqtt.repository';
import { OutboxPublisherService } from './mqtt/outbox-publisher.service';
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { embeddedBroker } = this.config.mqtt;
    if (embeddedBroker.enabled) {
      this.broker = await EmbeddedBroker.start(embeddedBroker.host, embeddedBroker.port);
      this.logger.log(`embedded MQTT broker listening on mqtt://${embeddedBroker.host}:${this.broker.port}`);
    }
    await this.model.load();
    this.mqtt.connect();
    this.publisher.start();
    this.cameras.start();
  }

  /** Cameras stop first so no new event is written, explanations in flight land, then the outbox gets a moment to drain. */
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    await this.cameras.stop();
    await Promise.race([this.events.drain(), new Promise((r) => setTimeout(r, SHUTDOWN_DRAIN_MS).unref())]);
    await this.publisher.shutdown(SHUTDOWN_DRAIN_MS);
    await this.mqtt.close();
    this.db.close();
    await this.broker?.close();
  }
}
