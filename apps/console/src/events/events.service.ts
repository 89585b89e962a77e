import { Injectable, Logger } from '@nestjs/common';
import { EventMessageSchema } from '@vigil/contracts';
import { Subject, type Observable } from 'rxjs';
import { EventStoreRepository, type ConsoleEvent, type ListQuery } from '../store/event-store.repository';

export type LiveUpdate = { type: 'event'; event: ConsoleEvent } | { type: 'site'; site: string; online: boolean };

export type IngestResult = 'new' | 'updated' | 'duplicate' | 'stale' | 'rejected';

/** Everything the console knows and does about events: ingest, listing, acknowledgement, live fan-out. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  private readonly live = new Subject<LiveUpdate>();
  private readonly sites = new Map<string, boolean>();
  readonly counters = { received: 0, rejected: 0, duplicates: 0 };

  constructor(private readonly store: EventStoreRepository) {}

  get updates(): Observable<LiveUpdate> {
    return this.live.asObservable();
  }

  /** Validates and stores one MQTT payload. A malformed message is counted and logged, never thrown. */
  ingest(raw: string, receivedAt = new Date().toISOString()): IngestResult {
    this.counters.received++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return this.reject('payload is not JSON', raw);
    }
    const result = EventMessageSchema.safeParse(parsed);
    if (!result.success) {
      return this.reject(result.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '), raw);
    }
    const outcome = this.store.apply(result.data, raw, receivedAt);
    if (outcome === 'duplicate') this.counters.duplicates++;
    if (outcome === 'new' || outcome === 'updated') {
      const event = this.store.get(result.data.eventId);
      if (event) this.live.next({ type: 'event', event });
      if (outcome === 'new') this.logger.log(`new ${event?.kind} event ${result.data.eventId} from ${result.data.site}/${result.data.after.camera.id}`);
    }
    return outcome;
  }

  siteAvailability(site: string, online: boolean): void {
    this.sites.set(site, online);
    this.live.next({ type: 'site', site, online });
  }

  siteStates(): Record<string, boolean> {
    return Object.fromEntries(this.sites);
  }

  list(query: ListQuery): ConsoleEvent[] {
    return this.store.list(query);
  }

  get(id: string): ConsoleEvent | undefined {
    return this.store.get(id);
  }

  /** undefined: unknown event; otherwise the event after the call (a repeat acknowledgement changes nothing). */
  acknowledge(id: string, by: string | null, note: string | null): ConsoleEvent | undefined {
    if (!this.store.get(id)) return undefined;
    if (this.store.acknowledge(id, new Date().toISOString(), by, note)) {
      const event = this.store.get(id)!;
      this.live.next({ type: 'event', event });
      this.logger.log(`event ${id} acknowledged${by ? ` by ${by}` : ''}`);
      return event;
    }
    return this.store.get(id);
  }

  private reject(reason: string, raw: string): IngestResult {
    this.counters.rejected++;
    this.logger.warn(`rejected an event message (${reason}): ${raw.slice(0, 200)}`);
    return 'rejected';
  }
}
