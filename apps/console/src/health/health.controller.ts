import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/roles';
import { IngestCounters } from '../ingest/ingest-counters';
import { MqttIngestService } from '../ingest/mqtt-ingest.service';

@Controller()
export class HealthController {
  constructor(
    private readonly ingest: MqttIngestService,
    private readonly counters: IngestCounters,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health/live')
  live() {
    return { status: 'alive' };
  }

  /** Readiness: 503 while the console cannot receive events (no MQTT connection). */
  @Public()
  @Get('health/ready')
  ready(@Res({ passthrough: true }) res: Response) {
    const reasons = this.ingest.connected ? [] : ['not connected to the MQTT broker'];
    res.status(reasons.length ? 503 : 200);
    return { status: reasons.length ? 'not ready' : 'ready', reasons };
  }

  @Public()
  @Get('health')
  health() {
    return { status: this.ingest.connected ? 'ok' : 'degraded', mqtt: { connected: this.ingest.connected }, ingest: this.counters.counts };
  }
}
