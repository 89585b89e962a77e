import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CameraManagerService } from '../camera/camera-manager.service';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { EventService } from '../events/event.service';
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
    private readonly events: EventService,
  ) {}

  /** Liveness: the process answers. Restarting it is the fix only when this fails. */
  @Get('health/live')
  @HttpCode(200)
  live() {
    return { status: 'alive' };
  }

  /**
   * Readiness: the agent does its job (a camera online, events writable). 503 with the reasons otherwise, for
   * orchestrators and load balancers; a broker outage is not listed, the outbox holds events through it.
   */
  @Get('health/ready')
  ready(@Res({ passthrough: true }) res: Response) {
    const reasons: string[] = [];
    const cameras = this.cameras.health();
    if (!cameras.some((c) => c.state === 'online')) reasons.push('no camera is online');
    const events = this.events.storage;
    if (events.state !== 'ok') reasons.push(`events cannot be written: ${events.error}`);
    res.status(reasons.length ? 503 : 200);
    return { status: reasons.length ? 'not ready' : 'ready', reasons };
  }

  /** Everything at once, for people and dashboards (always 200; `status` says ok or degraded). */
  @Get('health')
  health() {
    const cameras = this.cameras.health();
    const events = this.events.storage;
    return {
      status: cameras.some((c) => c.state === 'online') && events.state === 'ok' ? 'ok' : 'degraded',
      site: this.config.site.id,
      model: this.model.card.name,
      inference: this.model.stats,
      /** With model.confirm: windows the first model scored and those the confirming model saw too. */
      cascade: this.model.cascadeStats,
      events,
      mqtt: {
        connected: this.mqtt.connected,
        error: this.mqtt.error,
        outboxPending: this.outbox.pending(),
        published: this.publisher.published,
        /** Sent event messages no console has acknowledged yet (mqtt.endToEndAcks), and those acknowledged since start. */
        unacknowledged: this.outbox.unacknowledged(),
        acknowledged: this.publisher.acknowledged,
      },
      cameras,
    };
  }
}
