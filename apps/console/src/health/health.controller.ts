import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/roles';
import { EventsService } from '../events/events.service';
import { MqttIngestService } from '../ingest/mqtt-ingest.service';

@Controller()
export class HealthController {
  constructor(
    private readonly ingest: MqttIngestService,
    private readonly events: EventsService,
  ) {}

  @Public()
  @Get('health')
  health() {
    return { status: this.ingest.connected ? 'ok' : 'degraded', mqtt: { connected: this.ingest.connected }, ingest: this.events.counters };
  }
}
