import { Inject, Injectable, Logger } from '@nestjs/common';
import { DETECTION, topics, type EventKind } from '@vigil/contracts';
import { windowSeconds, type LabelScores } from '@vigil/model';
import { randomUUID } from 'node:crypto';
import { Clock } from '@vigil/config';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { ModelRepository } from '../inference/model.repository';
import { MediaService } from '../media/media.service';
import { MqttRepository } from '../mqtt/mqtt.repository';
import { EventRepository, type EventRow } from '../storage/event.repository';
import { ExplanationService } from '../explain/explanation.service';
import { eventEvidence } from '../explain/evidence';
import { EventBook, type EndTransition, type OpenEvent } from './event-book';
import { EventTracker, trackerRule, type Transition } from './event-tracker';
import { EventWriter, type EventChange } from './event-writer';
import { isArmed } from './schedule';
import { templateExplanation } from './template-explainer';
import { withFields } from '../common/log-fields';
import type { WindowObserver } from '../camera/camera-pipeline';

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
 * Turns window scores into events. Decisions live in EventTracker, per camera and kind in the EventBook; this
 * service gives events ids and evidence (snapshot, clip, explanation), and EventWriter makes each change durable:
 * the row and its outbox message in one transaction, before anything is sent.
 */
@Injectable()
export class EventService implements WindowObserver {
  private readonly logger = new Logger(EventService.name);
  private readonly book = new EventBook();
  private readonly explaining = new Set<Promise<void>>();
  private failure?: { message: string; since: number; probedAt: number };
  private failures = 0;

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly model: ModelRepository,
    private readonly events: EventRepository,
    private readonly writer: EventWriter,
    private readonly media: MediaService,
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
      this.writer.write({ row: { ...row, endedAt: row.updatedAt, seq: row.seq + 1 }, camera, type: 'end', previous: row, endReason: 'agent-restarted' });
      this.logger.warn(
        withFields(
          { camera: row.cameraId, event: id, kind: row.kind },
          `${row.kind} event ${id} on camera ${row.cameraId} was open when the agent stopped; ended it at its last update (${row.updatedAt})`,
        ),
      );
    }
    return ids.length;
  }

  /** Feed one window's probabilities by label for `camera`, taken at wall-clock `at`. */
  observe(camera: CameraConfig, scores: LabelScores, at: number): void {
    const { eventKinds } = this.model.card;
    const byKind = new Map<EventKind, { score: number; label: string }>();
    for (const [label, score] of Object.entries(scores)) {
      const kind = eventKinds[label] as EventKind | undefined;
      if (!kind || !this.config.events[kind] || !this.enabledOn(camera, kind)) continue;
      const best = byKind.get(kind);
      if (!best || score > best.score) byKind.set(kind, { score, label });
    }
    // outside the camera's armed hours the rule sees zeros: nothing opens, and an open event closes as usual
    const armed = isArmed(camera.schedule, at, this.config.site.timezone);
    if (this.failure) this.probe(at);
    for (const [kind, { score: raw, label }] of byKind) {
      const state = this.book.of(camera.id, kind);
      const score = armed ? raw : 0;
      state.remember(score, at);
      const pendingEnd = state.pendingEnd;
      if (pendingEnd && !this.attempt(camera, kind, () => this.end(camera, kind, pendingEnd))) continue;
      state.tracker ??= this.tracker(camera, kind, label);
      const tracker = state.tracker;
      const transition = tracker.observe(score, at);
      state.open?.add(score, at);
      if (transition?.type === 'start') {
        // not written: forget the rule's state, so the next windows over the threshold open the event again
        if (!this.attempt(camera, kind, () => this.start(camera, kind, label, tracker.rule.threshold, transition))) state.tracker = undefined;
      } else if (transition?.type === 'update') this.attempt(camera, kind, () => this.peakRose(camera, kind, transition));
      else if (transition?.type === 'end' && !this.attempt(camera, kind, () => this.end(camera, kind, transition))) state.pendingEnd = transition;
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
    const rule = { ...this.config.events[kind], ...camera.events?.[kind] };
    return new EventTracker(trackerRule(rule, this.model.card.thresholds[label]));
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
    const state = this.book.of(camera.id, kind);
    const open = state.opening(id, Date.parse(startedAt), t.firstAt);
    this.writer.write({ row, camera, type: 'new', previous: null, timeline: open.timeline() });
    state.open = open;
    this.setDetection(camera, kind, DETECTION.on, snapshot?.jpeg);
    this.logger.warn(
      withFields(
        { camera: camera.id, event: id, kind },
        `${kind} event ${id} started on camera ${camera.id} (peak ${t.peak.toFixed(2)}, ${t.windows} windows)`,
      ),
    );
    this.media.scheduleClip(camera.id, id, startedAt, t.at, (clipPath) => this.amend(camera, id, { clipPath }));
    if (this.explanations.usesLlm) this.track(this.explainLater(camera, row, open, t, snapshot?.jpeg));
  }

  /** Asks the LLM after the alarm is stored and queued; its answer follows as an `update`. */
  private async explainLater(
    camera: CameraConfig,
    row: EventRow,
    open: OpenEvent,
    t: Extract<Transition, { type: 'start' }>,
    snapshot?: Buffer,
  ): Promise<void> {
    const evidence = eventEvidence(
      this.config,
      camera,
      { id: row.id, kind: row.kind as EventKind, threshold: row.threshold, firstAt: t.firstAt, at: t.at, peak: t.peak, points: open.points },
      { windowSeconds: windowSeconds(this.model.card), recent: this.events.startedSince(new Date(t.at - RECENT_MS).toISOString()), snapshot },
    );
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

  private end(camera: CameraConfig, kind: EventKind, t: EndTransition): void {
    const state = this.book.of(camera.id, kind);
    const open = state.open;
    const row = open ? this.events.get(open.id) : undefined;
    if (row && open)
      this.writer.write({
        row: { ...row, updatedAt: this.now(), endedAt: new Date(t.at).toISOString(), score: t.score, peakScore: t.peak, seq: row.seq + 1 },
        camera,
        type: 'end',
        previous: row,
        timeline: open.timeline(),
      });
    state.open = state.pendingEnd = undefined;
    if (!row) return;
    this.setDetection(camera, kind, DETECTION.off);
    this.logger.log(
      withFields({ camera: camera.id, event: row.id, kind }, `${kind} event ${row.id} on camera ${camera.id} ended (${t.reason}, peak ${t.peak.toFixed(2)})`),
    );
  }

  private peakRose(camera: CameraConfig, kind: EventKind, t: Extract<Transition, { type: 'update' }>): void {
    const open = this.book.of(camera.id, kind).open;
    const row = open ? this.events.get(open.id) : undefined;
    if (!row || !open) return;
    this.writer.write({
      row: { ...row, updatedAt: this.now(), score: t.score, peakScore: t.peak, seq: row.seq + 1 },
      camera,
      type: 'update',
      previous: row,
      timeline: open.timeline(),
    });
  }

  /** Adds evidence that arrives later (the clip, an explanation) as an `update` of the event. */
  private amend(camera: CameraConfig, id: string, change: Partial<Pick<EventRow, 'clipPath' | 'explanation'>>): void {
    this.attempt(camera, this.events.get(id)?.kind as EventKind, () => {
      const row = this.events.get(id);
      if (!row) return;
      const update: EventChange = { row: { ...row, ...change, updatedAt: this.now(), seq: row.seq + 1 }, camera, type: 'update', previous: row };
      this.writer.write({ ...update, timeline: this.book.openEvent(id)?.timeline() });
    });
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
