import type { LabelScores, ModelCard } from './model-card';
import type { RgbImage } from './preprocess';
import { SlidingWindow } from './sliding-window';
import type { VideoModel } from './video-model';
import { decodeSize, joinViews, normaliseViews, VIEW_COUNT, type FrameScorer } from './views';

/** The event kinds a confirmation stage rules on; falls have their own second look (the pose stage). */
export const CONFIRMED_KINDS: readonly string[] = ['fire', 'smoke'];

export interface CascadeStats {
  /** Windows the first stage scored. */
  windows: number;
  /** Of those, the windows the second stage scored too. */
  confirmed: number;
}

/**
 * Fire and smoke in two stages. The first model scores the whole picture of every window; where it scores fire or
 * smoke at or above `gate`, the second model, trained on zoomed crops, scores the same window's whole picture and
 * its four quadrants (tiles, views.ts) and its joined score replaces the first's for fire and smoke. A quiet camera
 * costs one window model; a candidate costs five more runs, and an event needs both models to agree.
 *
 * Frames are decoded once, at the second model's tiles size; the first model sees the whole picture (2×2 blocks
 * averaged). Each camera keeps its last window of frames as bytes (its own copies: decoded frames may live in a
 * reused buffer) and cuts the tiles only for windows that pass the gate (a frame's tiles are kept while it stays
 * in the window).
 */
export class Cascade {
  readonly card: ModelCard;
  readonly stats: CascadeStats = { windows: 0, confirmed: 0 };
  readonly gate: number;
  /** The labels the second stage decides. */
  readonly labels: readonly string[];
  private readonly scoreWindow: (frames: readonly Float32Array[]) => Promise<LabelScores>;

  /** `gate` defaults to the one the confirming card's `confirming` thresholds were chosen with. */
  constructor(
    readonly first: VideoModel,
    readonly second: VideoModel,
    gate?: number,
  ) {
    const { confirming } = second.card;
    const chosen = gate ?? confirming?.gate;
    if (chosen === undefined) throw new Error(`${second.card.name}'s card records no confirmation gate; set one (model.confirm.gate)`);
    checkCascade(first.card, second.card, chosen);
    const { scoreWindow } = second;
    if (!scoreWindow) throw new Error(`the confirming model ${second.card.name} must run as a window graph (mode: window)`);
    this.scoreWindow = scoreWindow.bind(second);
    this.gate = chosen;
    this.labels = second.card.labels.filter((l) => CONFIRMED_KINDS.includes(second.card.eventKinds[l]));
    // the card's cascade thresholds hold for the gate they were chosen with; with another gate its own thresholds do
    const own = confirming && confirming.gate === chosen ? { ...second.card.thresholds, ...confirming.thresholds } : second.card.thresholds;
    const thresholds = Object.fromEntries(this.labels.flatMap((l) => (own[l] === undefined ? [] : [[l, own[l]]])));
    this.card = { ...first.card, name: `${first.card.name}+${second.card.name}`, thresholds: { ...first.card.thresholds, ...thresholds } };
  }

  /** The size frames are decoded at: the second model's tiles. */
  get frameSize(): { width: number; height: number } {
    return decodeSize(this.second.card, 'tiles');
  }

  describe(): string {
    return `cascade: ${this.first.card.name} scores every window; at ${this.labels.join(' or ')} >= ${this.gate} ${this.second.card.name} confirms on the whole picture and its 4 quadrants (frames decoded at ${this.frameSize.width}x${this.frameSize.height})`;
  }

  createScorer(): FrameScorer {
    const { first, second, labels, gate, stats, scoreWindow } = this;
    const card = second.card;
    const scorer = first.createScorer();
    const held = new SlidingWindow<HeldFrame>(card.input.frames, first.card.window.hop);
    // a camera pushes one frame at a time, so a frame's bytes can be reused once it has left the window
    const ring: Uint8Array[] = [];
    let next = 0;
    return {
      push: async (frame, at) => {
        const [whole] = normaliseViews(frame, card, 'tiles', 1);
        const bytes = frame.width * frame.height * 3;
        const slot = next++ % (card.input.frames + 1);
        if (ring[slot]?.length !== bytes) ring[slot] = new Uint8Array(bytes);
        ring[slot].set(frame.data.subarray(0, bytes));
        // taken before the first stage's await, so the held window is the one the first stage scores
        const window = held.push({ frame: { width: frame.width, height: frame.height, data: ring[slot] } });
        const scored = await scorer.push(whole, at);
        if (!scored) return undefined;
        stats.windows++;
        if (!window || !labels.some((l) => (scored.scores[l] ?? 0) >= gate)) return scored;
        stats.confirmed++;
        const planes = window.map((h) => (h.views ??= normaliseViews(h.frame, card, 'tiles')));
        const views = await Promise.all(Array.from({ length: VIEW_COUNT.tiles }, (_, v) => scoreWindow(planes.map((p) => p[v]))));
        const joined = joinViews(card, views);
        const scores: LabelScores = { ...scored.scores, ...Object.fromEntries(labels.map((l) => [l, joined[l]])) };
        return { scores, at };
      },
      reset: () => {
        scorer.reset();
        held.reset();
      },
    };
  }

  release(): Promise<void> {
    return Promise.all([this.first.release(), this.second.release()]).then(() => undefined);
  }
}

interface HeldFrame {
  frame: RgbImage;
  views?: Float32Array[];
}

/** Throws unless the two models can share one decode and one window clock. */
export function checkCascade(first: ModelCard, second: ModelCard, gate: number): void {
  if (!(gate >= 0 && gate <= 1)) throw new RangeError(`the confirmation gate is a score between 0 and 1, got ${gate}`);
  const a = first.input;
  const b = second.input;
  const same =
    a.width === b.width &&
    a.height === b.height &&
    a.frames === b.frames &&
    a.fps === b.fps &&
    a.scale === b.scale &&
    a.channelOrder === b.channelOrder &&
    a.mean.every((m, i) => m === b.mean[i]) &&
    a.std.every((s, i) => s === b.std[i]);
  if (!same) {
    throw new Error(
      `${second.name} cannot confirm ${first.name}: the two models must take the same input (frames, size, fps and normalisation); ${first.name} takes ${a.frames} frames of ${a.width}x${a.height} at ${a.fps} fps, ${second.name} ${b.frames} of ${b.width}x${b.height} at ${b.fps}`,
    );
  }
  const missing = second.labels.filter((l) => CONFIRMED_KINDS.includes(second.eventKinds[l]) && first.eventKinds[l] !== second.eventKinds[l]);
  if (missing.length) throw new Error(`${second.name} cannot confirm ${first.name}: ${first.name} has no label ${missing.join(', ')} for the same event kind`);
  if (!second.labels.some((l) => CONFIRMED_KINDS.includes(second.eventKinds[l]))) {
    throw new Error(`${second.name} cannot confirm ${first.name}: it scores none of ${CONFIRMED_KINDS.join(', ')}`);
  }
}
