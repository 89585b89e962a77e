import { Controller, Get, Inject } from '@nestjs/common';
import { CameraManagerService } from '../camera/camera-manager.service';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { ModelRepository } from '../inference/model.repository';
import { MqttRepository } from '../mqtt/mqtt.repository';
import { OutboxPublisherService } from '../mqtt/outbox-publisher.service';
import { OutboxRepository } from '../storage/outbox.repository';

@Controller()
export class HealthController {
  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly cameras: CameraManagerService,
    private readonly model: ModelRepository,
    private readonly mqtt: MqttRepository,
    private readonly outbox: OutboxRepository,
    private readonly publisher: OutboxPublisherService,
  ) {}

  @Get('health')
  health() {
    const cameras = this.cameras.health();
    return {
      status: cameras.some((c) => c.state === 'online') ? 'ok' : 'degraded',
      site: this.config.site.id,
      model: this.model.card.name,
      inference: this.model.stats,
      mqtt: { connected: this.mqtt.connected, error: this.mqtt.error, outboxPending: this.outbox.pending(), published: this.publisher.published },
      cameras,
    };
  }
}
