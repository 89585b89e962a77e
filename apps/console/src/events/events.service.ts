import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@vigil/config';
import { EventMessageSchema } from '@vigil/contracts';
import { AuditRepository } from '../audit/audit.repository';
import { IngestCounters } from '../ingest/ingest-counters';
import { MessageVerifier } from '../ingest/message-verifier';
import { EventStoreRepository, type ConsoleEvent, type ListQuery } from '../storage/event-store.repository';
import { LiveUpdates } from './live-updates';

/** The largest event message taken: a full one (timeline, explanation, media) is a few kilobytes. */
export const MAX_EVENT_BYTES = 256 * 1024;
/**
 * The furthest `seq` may move past the last one stored for an event (or past 0 for an unknown one): messages of
 * one event come in order, so a jump this large is a forgery meant to freeze the event.
 */
export const MAX_SEQ_STEP = 10_000;

export type IngestOutcome = 'new' | 'updated' | 'duplicate' | 'stale' | 'rejected';
/** What happened to a message, and the receipt the agent gets when the console has it. */
export interface IngestResult {
  outcome: IngestOutcome;
  ack?: { eventId: string; seq: number };
}

/** The console's events: ingest of the agents' messages, listing, and the operators' acknowledgements (audited). */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);

  constructor(
    private readonly store: EventStoreRepository,
    private readonly audit: AuditRepository,
    private readonly verifier: MessageVerifier,
    private readonly live: LiveUpdates,
    private readonly counters: IngestCounters,
    private readonly clock: Clock,
  ) {}

  /**
   * Validates and stores one MQTT payload from the events topic of `site`. A malformed, unsigned or forged message
   * is counted and logged, never thrown.
   */
  ingest(raw: string, site: string, receivedAt = new Date(this.clock.now()).toISOString()): IngestResult {
    this.counters.counts.received++;
    if (Buffer.byteLength(raw, 'utf8') > MAX_EVENT_BYTES) return this.reject(`payload is over ${MAX_EVENT_BYTES / 1024} KiB`, raw);
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
    const message = result.data;
    if (message.site !== site) return this.reject(`the message names site "${message.site}" but came on the topic of site "${site}"`, raw);
    const verified = this.verifier.verify(site, raw);
    if (!verified.ok) {
      this.counters.counts.unverified++;
      return this.reject(verified.reason, raw);
    }
    const known = this.store.head(message.eventId);
    if (known && known.site !== site) return this.reject(`event ${message.eventId} belongs to site "${known.site}"`, raw);
    if (message.seq > (known?.seq ?? 0) + MAX_SEQ_STEP)
      return this.reject(`seq ${message.seq} jumps more than ${MAX_SEQ_STEP} past the event's last message`, raw);
    const outcome = this.store.apply(message, raw, receivedAt);
    const ack = { eventId: message.eventId, seq: message.seq };
    if (outcome === 'duplicate') this.counters.counts.duplicates++;
    if (outcome === 'new' || outcome === 'updated') {
      const event = this.store.get(result.data.eventId);
      if (event) this.live.publish({ type: 'event', event });
      if (outcome === 'new') this.logger.log(`new ${event?.kind} event ${result.data.eventId} from ${result.data.site}/${result.data.after.camera.id}`);
    }
    return { outcome, ack };
  }

  list(query: ListQuery): ConsoleEvent[] {
    return this.store.list(query);
  }

  get(id: string): ConsoleEvent | undefined {
    return this.store.get(id);
  }

  /** undefined: unknown event; otherwise the event after the call (a repeat acknowledgement changes nothing). */
  acknowledge(id: string, by: string | null, note: string | null): ConsoleEvent | undefined {
    return this.change(id, 'acknowledged', by, note, (at) => this.store.acknowledge(id, at, by, note));
  }

  /** Closes the operator's work on an event (acknowledging it too if nobody had). */
  resolve(id: string, by: string | null, note: string | null): ConsoleEvent | undefined {
    return this.change(id, 'resolved', by, note, (at) => this.store.resolve(id, at, by, note));
  }

  private change(
    id: string,
    action: 'acknowledged' | 'resolved',
    by: string | null,
    note: string | null,
    apply: (at: string) => boolean,
  ): ConsoleEvent | undefined {
    if (!this.store.get(id)) return undefined;
    const at = new Date(this.clock.now()).toISOString();
    if (apply(at)) {
      const event = this.store.get(id)!;
      this.audit.add({ at, username: by, action: action === 'acknowledged' ? 'event-acknowledged' : 'event-resolved', target: id, detail: note });
      this.live.publish({ type: 'event', event });
      this.logger.log(`event ${id} ${action}${by ? ` by ${by}` : ''}`);
      return event;
    }
    return this.store.get(id);
  }

  private reject(reason: string, raw: string): IngestResult {
    this.counters.reject('an event message', reason, raw);
    return { outcome: 'rejected' };
  }
}
