import { Controller, Get } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { MqttIngestService } from '../ingest/mqtt-ingest.service';

@Controller()
export class HealthController {
  constructor(
    private readonly ingest: MqttIngestService,
    private readonly events: EventsService,
  ) {}

  @Get('health')
  health() {
    return { status: this.ingest.connected ? 'ok' : 'degraded', mqtt: { connected: this.ingest.connected }, ingest: this.events.counters };
  }
}
