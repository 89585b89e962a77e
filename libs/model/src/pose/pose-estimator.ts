import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { RgbImage } from '../preprocess';
import { openSession, readsInPlace, timedRun, type ModelRuntimeOptions, type ModelSession } from '../session';
import { sharedInt32 } from '../worker-session';

/** MoveNet's 17 COCO keypoints, in its output order. */
export const KEYPOINT_NAMES = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

/** A keypoint in the letterboxed square the estimator saw: y and x from 0 (top, left) to 1, score from 0 to 1. */
export interface Keypoint {
  y: number;
  x: number;
  score: number;
}

export const PoseCardSchema = z.object({
  name: z.string(),
  file: z.string(),
  input: z.object({ name: z.string(), size: z.number().int().positive(), fit: z.literal('letterbox'), dtype: z.literal('int32') }),
  output: z.object({ name: z.string(), keypoints: z.array(z.string()).length(KEYPOINT_NAMES.length) }),
  source: z.record(z.string(), z.unknown()),
});
export type PoseCard = z.output<typeof PoseCardSchema>;

/** The shipped pose model's card (the build copies `weights/` beside the compiled `src/`). */
export function shippedPoseCard(): string {
  return resolve(__dirname, '..', '..', 'weights', 'movenet-lightning.card.json');
}

/**
 * A single-person pose model (MoveNet, converted from TF.js to ONNX) run by onnxruntime, so it shares the agent's
 * execution providers. Input: one letterboxed RGB frame of the card's size (FrameSize fit `letterbox`).
 */
export class PoseEstimator {
  private constructor(
    readonly card: PoseCard,
    private readonly session: ModelSession,
    readonly providers: string[],
    private readonly onRun?: (ms: number) => void,
  ) {}

  static async open(cardPath: string = shippedPoseCard(), options: ModelRuntimeOptions & { onRun?: (ms: number) => void } = {}): Promise<PoseEstimator> {
    const card = PoseCardSchema.parse(JSON.parse(readFileSync(cardPath, 'utf8')));
    const { session, providers } = await openSession(resolve(dirname(cardPath), card.file), options, (s) => {
      if (!s.inputNames.includes(card.input.name))
        throw new Error(`pose model ${card.file} has no input "${card.input.name}" (inputs: ${s.inputNames.join(', ')})`);
      if (!s.outputNames.includes(card.output.name))
        throw new Error(`pose model ${card.file} has no output "${card.output.name}" (outputs: ${s.outputNames.join(', ')})`);
    });
    return new PoseEstimator(card, session, providers, options.onRun);
  }

  get size(): number {
    return this.card.input.size;
  }

  /** A buffer for `run`'s pixels, in shared memory when the session reads it in place on its own thread. */
  newInput(): Int32Array<ArrayBufferLike> {
    const n = this.size * this.size * 3;
    return readsInPlace(this.session) ? sharedInt32(n) : new Int32Array(n);
  }

  async estimate(frame: RgbImage): Promise<Keypoint[]> {
    const { size } = this;
    if (frame.width !== size || frame.height !== size)
      throw new RangeError(`pose frames are ${size}x${size} letterboxed RGB, got ${frame.width}x${frame.height}`);
    const input = this.newInput();
    input.set(frame.data);
    return this.run(input);
  }

  /** The pose in `pixels` (size x size x RGB, from `newInput`), which the caller leaves alone until this settles. */
  async run(pixels: Int32Array<ArrayBufferLike>): Promise<Keypoint[]> {
    const { size } = this;
    const { outputs, ms } = await timedRun(this.session, { [this.card.input.name]: new ort.Tensor('int32', pixels as Int32Array, [1, size, size, 3]) });
    this.onRun?.(ms);
    const data = outputs[this.card.output.name].data as Float32Array;
    return KEYPOINT_NAMES.map((_, k) => ({ y: data[k * 3], x: data[k * 3 + 1], score: data[k * 3 + 2] }));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
