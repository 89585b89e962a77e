import { Inject, Injectable, Logger } from '@nestjs/common';
import { DETECTION, EVENT_SCHEMA_ID, MAX_TIMELINE_POINTS, topics, type EventKind, type EventMessage, type EventState } from '@vigil/contracts';
import { windowSeconds } from '@vigil/model';
import { randomUUID } from 'node:crypto';
import { Clock } from '@vigil/config';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { AgentUrl } from '../http/agent-url';
import { ModelRepository } from '../inference/model.repository';
import { MediaService } from '../media/media.service';
import { MqttRepository } from '../mqtt/mqtt.repository';
import { OutboxSignal } from '../mqtt/outbox-signal';
import { EventRepository, type EventRow } from '../storage/event.repository';
import { OutboxRepository } from '../storage/outbox.repository';
import { ExplanationService } from '../explain/explanation.service';
import type { ExplainEvidence } from '../explain/prompts';
import { EventTracker, trackerRule, type Transition } from './event-tracker';
import { isArmed } from './schedule';
import { templateExplanation } from './template-explainer';
import { withFields } from '../common/log-fields';

/** Window scores kept per camera and kind: the run-up that opened an event starts its timeline. */
const HISTORY = 40;
const RECENT_MS = 3600_000;
/** While events cannot be written, how often an idle agent checks whether the disk takes writes again. */
const PROBE_MS = 5000;

export interface EventStorageHealth {
  state: 'ok' | 'degraded';
  /** Why events cannot be written now (e.g. the disk is full), and since when. */
  error?: string;
  since?: string;
  /** Event writes that failed since start. */
  failures: number;
}

/**
 * Turns window scores into events. Decisions live in EventTracker; this service gives them ids, evidence
 * (snapshot, clip, explanation) and durable form: each change of an event is written to SQLite together with its
 * outbox message, before anything is sent.
 */
@Injectable()
export class EventService {
  private readonly logger = new Logger(EventService.name);
  private readonly trackers = new Map<string, EventTracker>();
  private readonly open = new Map<string, string>();
  private readonly history = new Map<string, Array<{ at: number; score: number }>>();
  private readonly explaining = new Set<Promise<void>>();
  /** Per open event: its start time and its window scores so far, for the message's timeline and the LLM. */
  private readonly timelines = new Map<string, { startedAt: number; points: Array<[number, number]> }>();
  /** Ends that could not be written, retried before anything else happens on that camera and kind. */
  private readonly pendingEnds = new Map<string, Extract<Transition, { type: 'end' }>>();
  private failure?: { message: string; since: number; probedAt: number };
  private failures = 0;

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly model: ModelRepository,
    private readonly events: EventRepository,
    private readonly outbox: OutboxRepository,
    private readonly signal: OutboxSignal,
    private readonly media: MediaService,
    private readonly urls: AgentUrl,
    private readonly clock: Clock,
    private readonly explanations: ExplanationService,
    private readonly mqtt: MqttRepository,
  ) {}

  /**
   * Ends the events a crash left open (the agent died before their scores fell), at their last update, so no
   * console shows them active forever. Run once at start, before any camera.
   */
  endInterrupted(): number {
    const ids = this.events.openIds();
    for (const id of ids) {
      const row = this.events.get(id)!;
      const camera = this.config.cameras.find((c) => c.id === row.cameraId) ?? ({ id: row.cameraId, name: row.cameraId } as CameraConfig);
      this.persist({ ...row, endedAt: row.updatedAt, seq: row.seq + 1 }, camera, 'end', row, 'agent-restarted');
      this.logger.warn(
        withFields(
          { camera: row.cameraId, event: id, kind: row.kind },
          `${row.kind} event ${id} on camera ${row.cameraId} was open when the agent stopped; ended it at its last update (${row.updatedAt})`,
        ),
      );
    }
    return ids.length;
  }

  /** Feed one window's probabilities (in the card's label order) for `camera`, taken at wall-clock `at`. */
  observe(camera: CameraConfig, scores: number[], at: number): void {
    const card = this.model.card;
    const byKind = new Map<EventKind, { score: number; label: string }>();
    card.labels.forEach((label, i) => {
      const kind = card.eventKinds[label] as EventKind | undefined;
      if (!kind || !this.config.events[kind] || !this.enabledOn(camera, kind)) return;
      const best = byKind.get(kind);
      if (!best || scores[i] > best.score) byKind.set(kind, { score: scores[i], label });
    });
    // outside the camera's armed hours the rule sees zeros: nothing opens, and an open event closes as usual
    const armed = isArmed(camera.schedule, at, this.config.site.timezone);
    if (this.failure) this.probe(at);
    for (const [kind, { score: raw, label }] of byKind) {
      const key = `${camera.id}/${kind}`;
      const score = armed ? raw : 0;
      this.remember(key, score, at);
      const pendingEnd = this.pendingEnds.get(key);
      if (pendingEnd && !this.attempt(camera, kind, () => this.end(camera, kind, pendingEnd))) continue;
      const tracker = this.tracker(camera, kind, label);
      const transition = tracker.observe(score, at);
      const openId = this.open.get(key);
      if (openId) this.timelines.get(openId)?.points.push([(at - this.timelines.get(openId)!.startedAt) / 1000, score]);
      if (transition?.type === 'start') {
        // not written: forget the rule's state, so the next windows over the threshold open the event again
        if (!this.attempt(camera, kind, () => this.start(camera, kind, label, tracker.rule.threshold, transition))) this.trackers.delete(key);
      } else if (transition?.type === 'update') this.attempt(camera, kind, () => this.peakRose(camera, kind, transition));
      else if (transition?.type === 'end' && !this.attempt(camera, kind, () => this.end(camera, kind, transition))) this.pendingEnds.set(key, transition);
    }
  }

  /** Whether events can be written; cameras keep running either way. */
  get storage(): EventStorageHealth {
    return this.failure
      ? { state: 'degraded', error: this.failure.message, since: new Date(this.failure.since).toISOString(), failures: this.failures }
      : { state: 'ok', failures: this.failures };
  }

  /** Runs one event write; a failure (disk full, read-only file) degrades the agent instead of stopping the camera. */
  private attempt(camera: CameraConfig, kind: EventKind, write: () => void): boolean {
    try {
      write();
      this.recovered();
      return true;
    } catch (err) {
      this.failures++;
      const message = (err as Error).message;
      if (!this.failure) {
        this.logger.error(
          withFields(
            { camera: camera.id, kind },
            `Cannot write ${kind} events (${message}); cameras keep running and events are retried until the disk takes writes again (free space under ${this.config.storage.path})`,
          ),
        );
      }
      this.failure = { message, since: this.failure?.since ?? this.clock.now(), probedAt: this.clock.now() };
      return false;
    }
  }

  private recovered(): void {
    if (!this.failure) return;
    this.logger.log(
      `event storage writable again after ${Math.round((this.clock.now() - this.failure.since) / 1000)} s (${this.failures} writes failed meanwhile)`,
    );
    this.failure = undefined;
  }

  /** While degraded with nothing to retry, a small write now and then tells when the disk is back. */
  private probe(at: number): void {
    if (!this.failure || at - this.failure.probedAt < PROBE_MS) return;
    this.failure.probedAt = at;
    try {
      this.events.probeWrite(new Date(at).toISOString());
      this.recovered();
    } catch {
      // still failing; the next probe or event write tries again
    }
  }

  private tracker(camera: CameraConfig, kind: EventKind, label: string): EventTracker {
    const key = `${camera.id}/${kind}`;
    let tracker = this.trackers.get(key);
    if (!tracker) {
      const rule = { ...this.config.events[kind], ...camera.events?.[kind] };
      tracker = new EventTracker(trackerRule(rule, this.model.card.thresholds[label]));
      this.trackers.set(key, tracker);
    }
    return tracker;
  }

  /** Whether `kind` is raised on this camera at all (site rule, then the camera's override). */
  enabledOn(camera: CameraConfig, kind: EventKind): boolean {
    return camera.events?.[kind]?.enabled ?? this.config.events[kind].enabled;
  }

  private start(camera: CameraConfig, kind: EventKind, label: string, threshold: number, t: Extract<Transition, { type: 'start' }>): void {
    const card = this.model.card;
    const id = randomUUID();
    const startedAt = new Date(t.firstAt).toISOString();
    const snapshot = this.media.saveSnapshot(camera.id, id, startedAt, t.at);
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
      id,
      cameraId: camera.id,
      kind,
      label,
      startedAt,
      updatedAt: this.now(),
      endedAt: null,
      score: t.score,
      peakScore: t.peak,
      threshold,
      seq: 0,
      explanation,
      snapshotPath: snapshot?.path ?? null,
      clipPath: null,
    };
    const startedMs = Date.parse(startedAt);
    const points = (this.history.get(`${camera.id}/${kind}`) ?? [])
      .filter((p) => p.at >= t.firstAt)
      .map((p): [number, number] => [(p.at - startedMs) / 1000, p.score]);
    this.timelines.set(id, { startedAt: startedMs, points });
    try {
      this.persist(row, camera, 'new', null);
    } catch (err) {
      this.timelines.delete(id);
      throw err;
    }
    this.open.set(`${camera.id}/${kind}`, id);
    this.setDetection(camera, kind, DETECTION.on, snapshot?.jpeg);
    this.logger.warn(
      withFields(
        { camera: camera.id, event: id, kind },
        `${kind} event ${id} started on camera ${camera.id} (peak ${t.peak.toFixed(2)}, ${t.windows} windows)`,
      ),
    );
    this.media.scheduleClip(camera.id, id, startedAt, t.at, (clipPath) => this.amend(camera, id, { clipPath }));
    if (this.explanations.usesLlm) this.track(this.explainLater(camera, row, t, snapshot?.jpeg));
  }

  /** Asks the LLM after the alarm is stored and queued; its answer follows as an `update`. */
  private async explainLater(camera: CameraConfig, row: EventRow, t: Extract<Transition, { type: 'start' }>, snapshot?: Buffer): Promise<void> {
    const evidence: ExplainEvidence = {
      kind: row.kind as EventKind,
      site: this.config.site.name ?? this.config.site.id,
      cameraName: camera.name ?? camera.id,
      location: camera.location,
      localTime: new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
        timeZone: this.config.site.timezone,
      }).format(new Date(t.firstAt)),
      threshold: row.threshold,
      peakScore: t.peak,
      timeline: (this.timelines.get(row.id)?.points ?? []).map(([seconds, score]) => ({ t: seconds, score })),
      durationSeconds: (t.at - t.firstAt) / 1000 + windowSeconds(this.model.card),
      recent: this.events
        .startedSince(new Date(t.at - RECENT_MS).toISOString())
        .filter((e) => e.id !== row.id)
        .map((e) => ({
          kind: e.kind as EventKind,
          cameraName: this.cameraName(e.cameraId),
          minutesAgo: Math.max(0, Math.round((t.at - Date.parse(e.startedAt)) / 60_000)),
        })),
      snapshotJpeg: this.config.explanations.vision ? snapshot : undefined,
    };
    const explanation = await this.explanations.explain(row.id, evidence, row.explanation!);
    if (explanation.source === 'llm') this.amend(camera, row.id, { explanation });
  }

  /** Retained ON/OFF per camera and kind (and the snapshot), for dashboards and Home Assistant. */
  private setDetection(camera: CameraConfig, kind: EventKind, state: string, jpeg?: Buffer): void {
    const { topicPrefix: prefix } = this.config.mqtt;
    const site = this.config.site.id;
    if (jpeg) this.mqtt.setState(topics.snapshot(prefix, site, camera.id, kind), jpeg);
    this.mqtt.setState(topics.detection(prefix, site, camera.id, kind), state);
  }

  /** Resolves when the explanations in flight have been written (for a graceful stop). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.explaining]);
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) => this.logger.error(`explaining an event failed: ${(err as Error).message}`)).finally(() => this.explaining.delete(tracked));
    this.explaining.add(tracked);
  }

  private remember(key: string, score: number, at: number): void {
    let h = this.history.get(key);
    if (!h) this.history.set(key, (h = []));
    h.push({ at, score });
    if (h.length > HISTORY) h.shift();
  }

  private cameraName(id: string): string {
    const c = this.config.cameras.find((x) => x.id === id);
    return c?.name ?? id;
  }

  private end(camera: CameraConfig, kind: EventKind, t: Extract<Transition, { type: 'end' }>): void {
    const key = `${camera.id}/${kind}`;
    const id = this.open.get(key);
    const row = id ? this.events.get(id) : undefined;
    if (row)
      this.persist(
        { ...row, updatedAt: this.now(), endedAt: new Date(t.at).toISOString(), score: t.score, peakScore: t.peak, seq: row.seq + 1 },
        camera,
        'end',
        row,
      );
    this.open.delete(key);
    this.pendingEnds.delete(key);
    if (!row) return;
    this.setDetection(camera, kind, DETECTION.off);
    this.timelines.delete(row.id);
    this.logger.log(
      withFields({ camera: camera.id, event: row.id, kind }, `${kind} event ${row.id} on camera ${camera.id} ended (${t.reason}, peak ${t.peak.toFixed(2)})`),
    );
  }

  private peakRose(camera: CameraConfig, kind: EventKind, t: Extract<Transition, { type: 'update' }>): void {
    const id = this.open.get(`${camera.id}/${kind}`);
    const row = id ? this.events.get(id) : undefined;
    if (!row) return;
    this.persist({ ...row, updatedAt: this.now(), score: t.score, peakScore: t.peak, seq: row.seq + 1 }, camera, 'update', row);
  }

  /** Adds evidence that arrives later (the clip, an explanation) as an `update` of the event. */
  private amend(camera: CameraConfig, id: string, change: Partial<Pick<EventRow, 'clipPath' | 'explanation'>>): void {
    this.attempt(camera, this.events.get(id)?.kind as EventKind, () => {
      const row = this.events.get(id);
      if (row) this.persist({ ...row, ...change, updatedAt: this.now(), seq: row.seq + 1 }, camera, 'update', row);
    });
  }

  /** Writes the event row and its message in one transaction; `previous` is the row before this change (null when new). */
  private persist(row: EventRow, camera: CameraConfig, type: EventMessage['type'], previous: EventRow | null, endReason?: EventState['endReason']): void {
    const message: EventMessage = {
      schema: EVENT_SCHEMA_ID,
      type,
      eventId: row.id,
      seq: row.seq,
      site: this.config.site.id,
      before: previous ? this.state(previous, camera, false) : null,
      after: { ...this.state(row, camera, true), ...(endReason ? { endReason } : {}) },
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

  private state(row: EventRow, camera: CameraConfig, withTimeline: boolean): EventState {
    return {
      camera: { id: camera.id, name: camera.name ?? camera.id, ...(camera.location ? { location: camera.location } : {}) },
      kind: row.kind as EventKind,
      label: row.label,
      startedAt: row.startedAt,
      updatedAt: row.updatedAt,
      endedAt: row.endedAt,
      score: clamp01(row.score),
      peakScore: clamp01(row.peakScore),
      threshold: row.threshold,
      model: this.model.scorerOf(row.kind),
      explanation: row.explanation,
      media: {
        snapshot: row.snapshotPath ? this.urls.eventMedia(row.id, 'snapshot.jpg') : null,
        clip: row.clipPath ? this.urls.eventMedia(row.id, 'clip.mp4') : null,
      },
      ...(withTimeline ? { timeline: this.timeline(row.id) } : {}),
    };
  }

  private timeline(id: string): Array<[number, number]> | undefined {
    const points = this.timelines.get(id)?.points;
    if (!points) return undefined;
    const step = Math.ceil(points.length / MAX_TIMELINE_POINTS);
    return points.filter((_, i) => i % step === 0).map(([t, v]) => [Math.round(t * 100) / 100, clamp01(v)]);
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, Math.round(v * 1e4) / 1e4));
}
