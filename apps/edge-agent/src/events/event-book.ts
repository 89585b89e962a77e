import { MAX_TIMELINE_POINTS, type EventKind } from '@vigil/contracts';
import type { EventTracker, Transition } from './event-tracker';

/** Window scores kept per camera and kind: the run-up that opened an event starts its timeline. */
const HISTORY = 40;

export type EndTransition = Extract<Transition, { type: 'end' }>;

/** A score as it goes on the wire: within 0..1, four decimals. */
export function wireScore(v: number): number {
  return Math.min(1, Math.max(0, Math.round(v * 1e4) / 1e4));
}

/** An open event: its id, its start (epoch ms) and its window scores so far as [seconds from start, score]. */
export class OpenEvent {
  constructor(
    readonly id: string,
    readonly startedAt: number,
    readonly points: Array<[number, number]>,
  ) {}

  add(score: number, at: number): void {
    this.points.push([(at - this.startedAt) / 1000, score]);
  }

  /** The points for a message: at most MAX_TIMELINE_POINTS, evenly thinned, rounded. */
  timeline(): Array<[number, number]> {
    const step = Math.ceil(this.points.length / MAX_TIMELINE_POINTS);
    return this.points.filter((_, i) => i % step === 0).map(([t, v]) => [Math.round(t * 100) / 100, wireScore(v)]);
  }
}

/** What the event service keeps for one camera and kind between windows. */
export class KindState {
  /** The rule's state; dropped to start the rule afresh (e.g. after a start that could not be written). */
  tracker?: EventTracker;
  open?: OpenEvent;
  /** An end that could not be written, retried before anything else happens on this camera and kind. */
  pendingEnd?: EndTransition;
  private readonly history: Array<{ at: number; score: number }> = [];

  remember(score: number, at: number): void {
    this.history.push({ at, score });
    if (this.history.length > HISTORY) this.history.shift();
  }

  /** An event about to open, its timeline seeded with the remembered scores from the rule's first window over the threshold. */
  opening(id: string, startedAt: number, firstAt: number): OpenEvent {
    const points = this.history.filter((p) => p.at >= firstAt).map((p): [number, number] => [(p.at - startedAt) / 1000, p.score]);
    return new OpenEvent(id, startedAt, points);
  }
}

/** The service's memory, one KindState per camera and kind. */
export class EventBook {
  private readonly states = new Map<string, KindState>();

  of(cameraId: string, kind: EventKind): KindState {
    const key = `${cameraId}/${kind}`;
    let state = this.states.get(key);
    if (!state) this.states.set(key, (state = new KindState()));
    return state;
  }

  /** The open event with this id, on whichever camera. */
  openEvent(id: string): OpenEvent | undefined {
    for (const state of this.states.values()) if (state.open?.id === id) return state.open;
    return undefined;
  }
}
