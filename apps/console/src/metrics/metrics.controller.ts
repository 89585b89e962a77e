import { Controller, Get, Header } from '@nestjs/common';
import { scrapedMetrics } from '@vigil/config';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Public } from '../auth/roles';
import { IngestCounters } from '../ingest/ingest-counters';
import { MqttIngestService } from '../ingest/mqtt-ingest.service';

/** Prometheus exposition of the console: ingest and the broker link, read fresh at every scrape. Open like /health. */
@Controller()
export class MetricsController {
  private readonly registry = new Registry();

  constructor(counters: IngestCounters, ingest: MqttIngestService) {
    const { counts } = counters;
    collectDefaultMetrics({ register: this.registry });
    const { gauge, counter } = scrapedMetrics(this.registry);
    counter('vigil_console_messages_received_total', 'Event messages received from the broker', () => counts.received);
    counter('vigil_console_messages_rejected_total', 'Event messages refused (malformed, unsigned, forged, too large)', () => counts.rejected);
    counter('vigil_console_messages_unverified_total', 'Event messages refused for their signature', () => counts.unverified);
    counter('vigil_console_messages_duplicate_total', 'Repeated deliveries of a message already stored', () => counts.duplicates);
    gauge('vigil_console_mqtt_connected', '1 while connected to the MQTT broker', () => (ingest.connected ? 1 : 0));
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
