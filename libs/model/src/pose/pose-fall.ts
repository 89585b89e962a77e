import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { openSession, timedRun, type ModelRuntimeOptions, type ModelSession } from '../session';
import { KEYPOINT_NAMES, type Keypoint } from './pose-estimator';

export const PoseFallCardSchema = z.object({
  name: z.string(),
  file: z.string(),
  /** The pose model's card, beside this one. */
  pose: z.string(),
  input: z.object({ name: z.string(), frames: z.number().int().positive(), fps: z.number().positive() }),
  /**
   * How the keypoints were taken: the letterboxed picture's size and whether the pose model follows the person
   * with a crop (`crop`: each frame looks at the region the previous pose gives, at the pose model's resolution).
   */
  keypoints: z.object({ picture: z.number().int().positive(), tracking: z.enum(['crop', 'none']) }).optional(),
  output: z.object({ name: z.string(), activation: z.literal('sigmoid') }),
  thresholds: z.object({ fall: z.number().min(0).max(1) }),
  parity: z.object({ batch: z.number().int().positive(), logits: z.array(z.array(z.number())), tolerance: z.number() }).optional(),
});
export type PoseFallCard = z.output<typeof PoseFallCardSchema>;

export function shippedPoseFallCard(): string {
  return resolve(__dirname, '..', '..', 'weights', 'vigil-pose-fall.card.json');
}

const VALUES = KEYPOINT_NAMES.length * 3;

/** The pose-fall classifier: a window of keypoints [T, 17, (y, x, score)] -> probability of a fall. */
export class PoseFallModel {
  private constructor(
    readonly card: PoseFallCard,
    readonly cardPath: string,
    private readonly session: ModelSession,
    private readonly onRun?: (ms: number, batch: number) => void,
  ) {}

  static async open(
    cardPath: string = shippedPoseFallCard(),
    options: ModelRuntimeOptions & { onRun?: (ms: number, batch: number) => void } = {},
  ): Promise<PoseFallModel> {
    const card = PoseFallCardSchema.parse(JSON.parse(readFileSync(cardPath, 'utf8')));
    const { session } = await openSession(resolve(dirname(cardPath), card.file), options, (s) => {
      if (!s.inputNames.includes(card.input.name)) throw new Error(`pose-fall model ${card.file} has no input "${card.input.name}"`);
    });
    return new PoseFallModel(card, cardPath, session, options.onRun);
  }

  get frames(): number {
    return this.card.input.frames;
  }

  /** The pose model this classifier was trained on. */
  get poseCardPath(): string {
    return resolve(dirname(this.cardPath), this.card.pose);
  }

  /** Raw logits for a batch of flattened windows (frames * 17 * 3 values each). */
  async logits(batch: Float32Array, size: number): Promise<Float32Array> {
    const input = new ort.Tensor('float32', batch, [size, this.frames, KEYPOINT_NAMES.length, 3]);
    const { outputs, ms } = await timedRun(this.session, { [this.card.input.name]: input });
    this.onRun?.(ms, size);
    return outputs[this.card.output.name].data as Float32Array;
  }

  async score(window: readonly Keypoint[][]): Promise<number> {
    if (window.length !== this.frames) throw new RangeError(`a pose window is ${this.frames} frames, got ${window.length}`);
    const flat = new Float32Array(this.frames * VALUES);
    window.forEach((pose, f) => pose.forEach((k, i) => flat.set([k.y, k.x, k.score], f * VALUES + i * 3)));
    const [logit] = await this.logits(flat, 1);
    return 1 / (1 + Math.exp(-logit));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
