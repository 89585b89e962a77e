import { Controller, Get, Header } from '@nestjs/common';
import { scrapedMetrics } from '@vigil/config';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Public } from '../auth/roles';
import { EventsService } from '../events/events.service';
import { MqttIngestService } from '../ingest/mqtt-ingest.service';

/** Prometheus exposition of the console: ingest and the broker link, read fresh at every scrape. Open like /health. */
@Controller()
export class MetricsController {
  private readonly registry = new Registry();

  constructor(events: EventsService, ingest: MqttIngestService) {
    collectDefaultMetrics({ register: this.registry });
    const { gauge, counter } = scrapedMetrics(this.registry);
    counter('vigil_console_messages_received_total', 'Event messages received from the broker', () => events.counters.received);
    counter('vigil_console_messages_rejected_total', 'Event messages refused (malformed, unsigned, forged, too large)', () => events.counters.rejected);
    counter('vigil_console_messages_unverified_total', 'Event messages refused for their signature', () => events.counters.unverified);
    counter('vigil_console_messages_duplicate_total', 'Repeated deliveries of a message already stored', () => events.counters.duplicates);
    gauge('vigil_console_mqtt_connected', '1 while connected to the MQTT broker', () => (ingest.connected ? 1 : 0));
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
