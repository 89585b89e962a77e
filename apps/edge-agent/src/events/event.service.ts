import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_SCHEMA_ID, topics, type EventKind, type EventMessage } from '@vigil/contracts';
import { windowSeconds } from '@vigil/model';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { ModelRepository } from '../inference/model.repository';
import { OutboxSignal } from '../mqtt/outbox-signal';
import { EventRepository, type EventRow } from '../storage/event.repository';
import { OutboxRepository } from '../storage/outbox.repository';
import { EventTracker, type Transition } from './event-tracker';
import { templateExplanation } from './template-explainer';

const CLEAR_RATIO = 0.6;

/**
 * Turns window scores into events. Decisions live in EventTracker; this service gives them ids, explanations
 * and durable form: the event row and its outbox message are written in one transaction before anything is sent.
 */
@Injectable()
export class EventService {
  private readonly logger = new Logger(EventService.name);
  private readonly trackers = new Map<string, EventTracker>();
  private readonly open = new Map<string, EventRow>();

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly model: ModelRepository,
    private readonly events: EventRepository,
    private readonly outbox: OutboxRepository,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock,
  ) {}

  /** Feed one window's probabilities (in the card's label order) for `camera`, taken at wall-clock `at`. */
  observe(camera: CameraConfig, scores: number[], at: number): void {
    const card = this.model.card;
    const byKind = new Map<EventKind, { score: number; label: string }>();
    card.labels.forEach((label, i) => {
      const kind = card.eventKinds[label] as EventKind | undefined;
      if (!kind || !this.config.events[kind]?.enabled) return;
      const best = byKind.get(kind);
      if (!best || scores[i] > best.score) byKind.set(kind, { score: scores[i], label });
    });
    for (const [kind, { score, label }] of byKind) {
      const transition = this.tracker(camera.id, kind, label).observe(score, at);
      if (transition) this.apply(camera, kind, label, transition);
    }
  }

  private tracker(cameraId: string, kind: EventKind, label: string): EventTracker {
    const key = `${cameraId}/${kind}`;
    let tracker = this.trackers.get(key);
    if (!tracker) {
      const rule = this.config.events[kind];
      const threshold = rule.threshold ?? this.model.card.thresholds[label] ?? 0.5;
      tracker = new EventTracker({
        threshold,
        clearThreshold: threshold * CLEAR_RATIO,
        minWindows: rule.minWindows,
        clearWindows: rule.clearWindows,
        cooldownMs: rule.cooldownSeconds * 1000,
        maxDurationMs: rule.maxDurationSeconds * 1000,
      });
      this.trackers.set(key, tracker);
    }
    return tracker;
  }

  private apply(camera: CameraConfig, kind: EventKind, label: string, t: Transition): void {
    const key = `${camera.id}/${kind}`;
    const now = new Date(this.clock.now()).toISOString();
    if (t.type === 'start') {
      const card = this.model.card;
      const threshold = this.tracker(camera.id, kind, label).rule.threshold;
      const explanation = templateExplanation(
        {
          kind,
          cameraName: camera.name ?? camera.id,
          location: camera.location,
          firstAt: t.firstAt,
          peakScore: t.peak,
          threshold,
          windows: t.windows,
          windowSeconds: windowSeconds(card),
          hopSeconds: card.window.hop / card.input.fps,
          timeZone: this.config.site.timezone,
        },
        this.config.explanations.language,
      );
      const row: EventRow = {
        id: randomUUID(),
        cameraId: camera.id,
        kind,
        label,
        startedAt: new Date(t.firstAt).toISOString(),
        updatedAt: now,
        endedAt: null,
        score: t.score,
        peakScore: t.peak,
        threshold,
        seq: 0,
        explanation: explanation.text,
        explanationSource: explanation.source,
      };
      this.persist(row, camera, 'start', true);
      this.open.set(key, row);
      this.logger.warn(`${kind} event ${row.id} started on camera ${camera.id} (peak ${t.peak.toFixed(2)}, ${t.windows} windows)`);
    } else {
      const row = this.open.get(key);
      if (!row) return;
      const ended: EventRow = { ...row, updatedAt: now, endedAt: new Date(t.at).toISOString(), score: t.score, peakScore: t.peak, seq: row.seq + 1 };
      this.persist(ended, camera, 'end', false);
      this.open.delete(key);
      this.logger.log(`${kind} event ${row.id} on camera ${camera.id} ended (${t.reason}, peak ${t.peak.toFixed(2)})`);
    }
    this.signal.notify();
  }

  private persist(row: EventRow, camera: CameraConfig, type: EventMessage['type'], insert: boolean): void {
    const message = this.message(row, camera, type);
    this.events.transaction(() => {
      if (insert) this.events.insert(row);
      else this.events.update(row);
      this.outbox.add(
        { topic: topics.events(this.config.mqtt.topicPrefix, this.config.site.id), payload: JSON.stringify(message), qos: 1, retain: false, eventId: row.id },
        row.updatedAt,
      );
    });
  }

  private message(row: EventRow, camera: CameraConfig, type: EventMessage['type']): EventMessage {
    const card = this.model.card;
    return {
      schema: EVENT_SCHEMA_ID,
      type,
      eventId: row.id,
      seq: row.seq,
      site: this.config.site.id,
      camera: { id: camera.id, name: camera.name ?? camera.id, ...(camera.location ? { location: camera.location } : {}) },
      kind: row.kind as EventKind,
      label: row.label,
      startedAt: row.startedAt,
      updatedAt: row.updatedAt,
      endedAt: row.endedAt,
      score: clamp01(row.score),
      peakScore: clamp01(row.peakScore),
      threshold: row.threshold,
      model: { name: card.name, windowSeconds: windowSeconds(card) },
      explanation: row.explanation ? { text: row.explanation, source: row.explanationSource === 'llm' ? 'llm' : 'template', language: this.config.explanations.language } : null,
    };
  }
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, Math.round(v * 1e4) / 1e4));
}
