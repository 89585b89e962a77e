import { Inject, Injectable } from '@nestjs/common';
import { EVENT_SCHEMA_ID, topics, type EventKind, type EventMessage, type EventState } from '@vigil/contracts';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { AgentUrl } from '../http/agent-url';
import { ModelRepository } from '../inference/model.repository';
import { OutboxSignal } from '../mqtt/outbox-signal';
import { EventRepository, type EventRow } from '../storage/event.repository';
import { OutboxRepository } from '../storage/outbox.repository';
import { wireScore } from './event-book';

/** One change of an event: the row after it, the row before it (null when new), and the open event's timeline. */
export interface EventChange {
  row: EventRow;
  camera: CameraConfig;
  type: EventMessage['type'];
  previous: EventRow | null;
  endReason?: EventState['endReason'];
  timeline?: Array<[number, number]>;
}

/** Makes an event change durable: the row and its outbox message in one SQLite transaction, then wakes the publisher. */
@Injectable()
export class EventWriter {
  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly model: ModelRepository,
    private readonly events: EventRepository,
    private readonly outbox: OutboxRepository,
    private readonly signal: OutboxSignal,
    private readonly urls: AgentUrl,
  ) {}

  write({ row, camera, type, previous, endReason, timeline }: EventChange): void {
    const message: EventMessage = {
      schema: EVENT_SCHEMA_ID,
      type,
      eventId: row.id,
      seq: row.seq,
      site: this.config.site.id,
      before: previous ? this.state(previous, camera) : null,
      after: { ...this.state(row, camera), ...(timeline ? { timeline } : {}), ...(endReason ? { endReason } : {}) },
    };
    this.events.transaction(() => {
      if (previous) this.events.update(row);
      else this.events.insert(row);
      this.outbox.add(
        {
          topic: topics.events(this.config.mqtt.topicPrefix, this.config.site.id),
          payload: JSON.stringify(message),
          qos: 1,
          retain: false,
          eventId: row.id,
          seq: row.seq,
        },
        row.updatedAt,
      );
    });
    this.signal.notify();
  }

  private state(row: EventRow, camera: CameraConfig): EventState {
    return {
      camera: { id: camera.id, name: camera.name ?? camera.id, ...(camera.location ? { location: camera.location } : {}) },
      kind: row.kind as EventKind,
      label: row.label,
      startedAt: row.startedAt,
      updatedAt: row.updatedAt,
      endedAt: row.endedAt,
      score: wireScore(row.score),
      peakScore: wireScore(row.peakScore),
      threshold: row.threshold,
      model: this.model.scorerOf(row.kind),
      explanation: row.explanation,
      media: {
        snapshot: row.snapshotPath ? this.urls.eventMedia(row.id, 'snapshot.jpg') : null,
        clip: row.clipPath ? this.urls.eventMedia(row.id, 'clip.mp4') : null,
      },
    };
  }
}
