import { labelScores, type LabelScores, type ModelCard } from './model-card';
import { frameLength, normaliseFrame, type RgbImage } from './preprocess';
import type { ScoredWindow, VideoModel, WindowScorer } from './video-model';

/**
 * What the video model is shown of each frame.
 * - whole: the picture squashed to the model's input size (one window per camera);
 * - tiles: the picture decoded at twice the model's size and shown as the whole (2×2 pixels averaged) and its four
 *   quadrants at full detail, five windows per camera; each label's score joins the whole picture's logit with its
 *   highest quadrant's (their mean), so a fire in one quadrant counts and the whole picture must not contradict it:
 *   an object twice as large for five times the model's work. It pays only with weights trained on zoomed crops
 *   (docs/model.md, `builtin-tiles`).
 */
export type Views = 'whole' | 'tiles';

export const VIEW_COUNT: Record<Views, number> = { whole: 1, tiles: 5 };

/** The size frames are decoded at for these views. */
export function decodeSize(card: ModelCard, views: Views): { width: number; height: number } {
  const k = views === 'tiles' ? 2 : 1;
  return { width: card.input.width * k, height: card.input.height * k };
}

/** One camera's scorer fed with decoded frames at `decodeSize`: the views cut, normalised, scored and joined. */
export interface FrameScorer {
  push(frame: RgbImage, at: number): Promise<ScoredWindow | undefined>;
  /** Forget the frames held, e.g. after a reconnect. */
  reset(): void;
}

export function createFrameScorer(model: VideoModel, views: Views): FrameScorer {
  const { card } = model;
  const scorers: WindowScorer[] = Array.from({ length: VIEW_COUNT[views] }, () => model.createScorer());
  return {
    push: async (frame, at) => {
      const planes = normaliseViews(frame, card, views);
      const scored = await Promise.all(scorers.map((s, i) => s.push(planes[i], at)));
      // every view holds the same frames, so all of them or none complete a window
      if (scored.some((s) => s === undefined)) return undefined;
      return {
        scores: joinViews(
          card,
          scored.map((s) => s!.scores),
        ),
        at,
      };
    },
    reset: () => scorers.forEach((s) => s.reset()),
  };
}

/**
 * Each label's score from the whole picture (first) and its quadrants: the mean of the whole picture's logit and
 * the highest quadrant's, back through the sigmoid. (The max over all five views, tried first, lets every window
 * look like fire five times over: twice the events on normal footage, docs/model.md.) Probabilities of other
 * activations are joined the same way on their log-odds.
 */
export function joinViews(card: ModelCard, views: readonly LabelScores[]): LabelScores {
  if (views.length === 1) return views[0];
  const [whole, ...tiles] = views;
  return labelScores(
    card,
    card.labels.map((label) => sigmoid((logit(whole[label]) + Math.max(...tiles.map((t) => logit(t[label])))) / 2)),
  );
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * A decoded frame -> the [3, H, W] planes of each view, normalised as the card says ((v * scale - mean) / std).
 * For tiles: the whole picture first (each output pixel the mean of a 2×2 block, as an area resize), then the
 * quadrants top left, top right, bottom left, bottom right. `count` cuts only the first views (1: the whole picture).
 */
export function normaliseViews(frame: RgbImage, card: ModelCard, views: Views, count = VIEW_COUNT[views]): Float32Array[] {
  if (views === 'whole') return [normaliseFrame(frame, card)];
  const { height: h, width: w, mean, std, scale, channelOrder } = card.input;
  const { width: W, height: H } = decodeSize(card, views);
  if (frame.width !== W || frame.height !== H || frame.data.length < W * H * 3) {
    throw new RangeError(`frame is ${frame.width}x${frame.height}, ${views} views of this model need ${W}x${H} RGB`);
  }
  const plane = h * w;
  const order = channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const mul = mean.map((_, c) => scale / std[c]);
  const add = mean.map((m, c) => -m / std[c]);
  const { data } = frame;
  const out = Array.from({ length: Math.min(count, VIEW_COUNT[views]) }, () => new Float32Array(frameLength(card)));
  for (let c = 0; c < 3; c++) {
    const src = order[c];
    const m = mul[c];
    const a = add[c];
    const dst = c * plane;
    const whole = out[0];
    const quarter = m / 4;
    for (let y = 0; y < h; y++) {
      const row0 = 2 * y * W * 3 + src;
      const row1 = row0 + W * 3;
      for (let x = 0; x < w; x++) {
        const s = x * 6;
        whole[dst + y * w + x] = (data[row0 + s] + data[row0 + s + 3] + data[row1 + s] + data[row1 + s + 3]) * quarter + a;
      }
    }
    for (let q = 0; q < out.length - 1; q++) {
      const tile = out[1 + q];
      const oy = q < 2 ? 0 : h;
      const ox = q % 2 === 0 ? 0 : w;
      for (let y = 0; y < h; y++) {
        let s = ((oy + y) * W + ox) * 3 + src;
        const row = dst + y * w;
        for (let x = 0; x < w; x++, s += 3) tile[row + x] = data[s] * m + a;
      }
    }
  }
  return out;
}
