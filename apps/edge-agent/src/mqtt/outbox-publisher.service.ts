import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { backoffDelay, sleep } from '@vigil/streams';
import { Clock } from '@vigil/config';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { SiteKey } from '../security/site-key';
import { OutboxRepository } from '../storage/outbox.repository';
import { MqttRepository } from './mqtt.repository';
import { OutboxSignal } from './outbox-signal';

const IDLE_POLL_MS = 2000;
const PRUNE_EVERY_MS = 3600_000;
/** The longest wait between two sends of an unacknowledged event message. */
const MAX_RESEND_MS = 3600_000;

/**
 * Drains the outbox to the broker strictly in order, one message in flight at a time: a row is marked sent
 * only after its PUBACK, and a failure stops the drain (retried with backoff) so later messages never
 * overtake earlier ones. With mqtt.endToEndAcks an event message is done only when a console acknowledges it;
 * until then it is sent again after mqtt.ackTimeoutSeconds, doubling up to an hour.
 */
@Injectable()
export class OutboxPublisherService {
  private readonly logger = new Logger(OutboxPublisherService.name);
  private readonly stop = new AbortController();
  private loop?: Promise<void>;
  private pruner?: NodeJS.Timeout;
  published = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly mqtt: MqttRepository,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock,
    @Inject(SITE_CONFIG) private readonly config: Pick<SiteConfig, 'storage'> & { mqtt: Pick<SiteConfig['mqtt'], 'endToEndAcks' | 'ackTimeoutSeconds'> },
    /** Signs event messages as they leave, so a key rotation applies to what is still queued. */
    @Optional() private readonly siteKey?: SiteKey,
  ) {}

  /** Event messages acknowledged by a console since start. */
  acknowledged = 0;

  start(): void {
    this.mqtt.onAck((eventId, seq) => {
      try {
        if (this.outbox.acknowledge(eventId, seq, new Date(this.clock.now()).toISOString())) this.acknowledged++;
      } catch (err) {
        // not written (disk full): the message is sent again and acknowledged again later
        this.logger.warn(`cannot record the acknowledgement of ${eventId}/${seq}: ${(err as Error).message}`);
      }
    });
    this.loop ??= this.run();
    this.prune();
    this.pruner ??= setInterval(() => this.prune(), PRUNE_EVERY_MS).unref();
  }

  /** Keeps delivered messages for `storage.outboxRetentionDays` (for audit and replays), then deletes them. */
  prune(): number {
    const before = new Date(this.clock.now() - this.config.storage.outboxRetentionDays * 86_400_000).toISOString();
    try {
      const deleted = this.outbox.pruneSent(before);
      if (deleted) this.logger.log(`outbox retention: deleted ${deleted} delivered messages sent before ${before}`);
      return deleted;
    } catch (err) {
      this.logger.error(`outbox retention failed: ${(err as Error).message}`);
      return 0;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stop.signal.aborted) {
      if (!this.mqtt.connected) {
        await this.signal.wait(500);
        continue;
      }
      this.requeue();
      const rows = this.outbox.nextUnsent(100);
      if (!rows.length) {
        await this.signal.wait(IDLE_POLL_MS);
        continue;
      }
      for (const row of rows) {
        if (this.stop.signal.aborted) break;
        try {
          const payload = row.eventId && this.siteKey ? this.siteKey.sign(row.payload) : row.payload;
          await this.mqtt.publish(row.topic, payload, { qos: row.qos, retain: row.retain });
          this.outbox.markSent(row.id, new Date(this.clock.now()).toISOString(), this.resendAfter(row));
          this.published++;
          failures = 0;
        } catch (err) {
          try {
            this.outbox.markFailed(row.id, (err as Error).message);
          } catch {
            // the database cannot take the note (disk full): the row stays unsent and is retried all the same
          }
          const delay = backoffDelay(failures++, { initialMs: 500, maxMs: 30_000 });
          this.logger.warn(
            `publishing outbox message ${row.id} failed (${(err as Error).message}); ${this.outbox.pending()} waiting, retry in ${Math.round(delay / 100) / 10} s`,
          );
          await sleep(delay, this.stop.signal);
          break;
        }
      }
    }
  }

  /** When an event message goes out again if no console acknowledges it; undefined when delivery ends at PUBACK. */
  private resendAfter(row: { eventId?: string; seq?: number; attempts: number }): string | undefined {
    if (!this.config.mqtt.endToEndAcks || row.eventId === undefined || row.seq === undefined) return undefined;
    const wait = Math.min(this.config.mqtt.ackTimeoutSeconds * 1000 * 2 ** Math.min(row.attempts, 12), MAX_RESEND_MS);
    return new Date(this.clock.now() + wait).toISOString();
  }

  private requeue(): void {
    try {
      const n = this.outbox.requeueUnacknowledged(new Date(this.clock.now()).toISOString());
      if (n) this.logger.log(`${n} event messages not acknowledged by a console in time; sending them again`);
    } catch (err) {
      this.logger.warn(`cannot requeue unacknowledged messages: ${(err as Error).message}`);
    }
  }

  /** Stops after the message in flight; with `drainMs`, first tries to empty the outbox for that long. */
  async shutdown(drainMs = 0): Promise<void> {
    const deadline = this.clock.now() + drainMs;
    while (drainMs > 0 && this.mqtt.connected && this.outbox.pending() > 0 && this.clock.now() < deadline) {
      await sleep(50);
    }
    clearInterval(this.pruner);
    this.stop.abort();
    this.signal.notify();
    await this.loop;
  }
}
