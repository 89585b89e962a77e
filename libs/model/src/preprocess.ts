import type { ModelCard } from './model-card';

/** Anything holding packed 8-bit RGB pixels of the card's input size. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Floats in one window: frames * 3 * height * width. */
export function windowLength(card: ModelCard): number {
  const { frames, height, width } = card.input;
  return frames * 3 * height * width;
}

/**
 * Packed RGB frames -> one window of `pixel_values` in [T, 3, H, W] order, normalised as the card says:
 * ((v * scale) - mean[c]) / std[c]. Writes into `out` at `offset` so many windows can share one batch buffer.
 */
export function writeWindow(frames: readonly RgbImage[], card: ModelCard, out: Float32Array, offset = 0): void {
  const { frames: t, height: h, width: w, mean, std, scale, channelOrder } = card.input;
  if (frames.length !== t) throw new RangeError(`window needs ${t} frames, got ${frames.length}`);
  const plane = h * w;
  const order = channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const mul = mean.map((_, c) => scale / std[c]);
  const add = mean.map((m, c) => -m / std[c]);
  for (let f = 0; f < t; f++) {
    const { data, width, height } = frames[f];
    if (width !== w || height !== h || data.length < plane * 3) {
      throw new RangeError(`frame ${f} is ${width}x${height}, the model expects ${w}x${h} RGB`);
    }
    const base = offset + f * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const src = order[c]; // byte offset of the model's channel c inside a packed RGB pixel
      const m = mul[c];
      const a = add[c];
      const dst = base + c * plane;
      for (let p = 0, s = src; p < plane; p++, s += 3) out[dst + p] = data[s] * m + a;
    }
  }
}

/** Floats in one normalised frame: 3 * height * width. */
export function frameLength(card: ModelCard): number {
  return 3 * card.input.height * card.input.width;
}

/**
 * One frame normalised into its [3, H, W] planes. A frame belongs to frames/hop windows (4 with 8 frames and hop
 * 2), so the agent normalises it once and copies the planes into each window with `assembleWindow`.
 */
export function normaliseFrame(frame: RgbImage, card: ModelCard): Float32Array {
  const out = new Float32Array(frameLength(card));
  // a one-frame view of the card, so writeWindow's checks and arithmetic serve both paths
  writeWindow([frame], { ...card, input: { ...card.input, frames: 1 } }, out);
  return out;
}

/** Copies T normalised frames into one window of `pixel_values` at `offset` (same layout as writeWindow). */
export function assembleWindow(
  planes: readonly Float32Array[],
  card: ModelCard,
  out: Float32Array = new Float32Array(windowLength(card)),
  offset = 0,
): Float32Array {
  const per = frameLength(card);
  if (planes.length !== card.input.frames) throw new RangeError(`window needs ${card.input.frames} frames, got ${planes.length}`);
  planes.forEach((p, f) => out.set(p.subarray(0, per), offset + f * per));
  return out;
}

export function toPixelValues(frames: readonly RgbImage[], card: ModelCard): Float32Array {
  const out = new Float32Array(windowLength(card));
  writeWindow(frames, card, out);
  return out;
}
