import { Injectable, Logger } from '@nestjs/common';

/** Counts of what came from the broker, for /health and /metrics; a refused message is logged here too. */
@Injectable()
export class IngestCounters {
  private readonly logger = new Logger('Ingest');
  readonly counts = { received: 0, rejected: 0, duplicates: 0, unverified: 0 };

  /** Counts and logs a refused message (`what`: "an event message", "a camera state"). */
  reject(what: string, reason: string, raw: string): void {
    this.counts.rejected++;
    this.logger.warn(`rejected ${what} (${reason}): ${raw.slice(0, 200)}`);
  }
}
