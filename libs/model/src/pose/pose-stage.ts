import type { LabelScores, ModelCard } from '../model-card';
import type { RgbImage } from '../preprocess';
import type { ModelRuntimeOptions } from '../session';
import { cropResize, fromCrop, FULL_PICTURE, nextCropRegion, type CropRegion } from './crop-tracker';
import { PoseEstimator, type Keypoint } from './pose-estimator';
import { PoseFallModel, shippedPoseFallCard } from './pose-fall';

/**
 * One camera's poses, one per letterboxed picture. With `crop` tracking each picture is looked at in the region
 * the previous pose gives, so a person far from the camera is seen at the pose model's full resolution; the
 * keypoints come back in the coordinates of the whole picture either way.
 */
export class PoseTracker {
  private region: CropRegion = FULL_PICTURE;
  /** The pose model's input, this camera's own: one estimate at a time reads it. */
  private readonly input: Int32Array<ArrayBufferLike>;
  private previous?: RgbImage;
  private last?: Keypoint[];
  /** Pictures whose pose was taken from the previous one because nothing moved (`motionGate`). */
  reused = 0;

  /**
   * With `motionGate` (grey levels), a picture in which no 8x8-sample block of a coarse grid changed by more than
   * that on average since the previous one keeps the previous pose instead of running the pose model.
   */
  constructor(
    private readonly estimator: PoseEstimator,
    readonly tracking: 'crop' | 'none',
    private readonly motionGate = 0,
  ) {
    this.input = estimator.newInput();
  }

  async next(picture: RgbImage): Promise<Keypoint[]> {
    const still = this.motionGate > 0 && this.last !== undefined && this.previous !== undefined && this.unchanged(picture, this.previous);
    if (this.motionGate > 0) this.keep(picture);
    if (still && this.last) {
      this.reused++;
      return this.last;
    }
    this.last = await this.estimate(picture);
    return this.last;
  }

  /**
   * Nothing moved by the gate's grey levels: anywhere on the coarse grid, and, while a person is followed, on a
   * fine grid over their crop, so a small person far from the camera who falls is seen falling.
   */
  private unchanged(picture: RgbImage, previous: RgbImage): boolean {
    if (maxBlockChange(picture, previous) >= this.motionGate) return false;
    return this.region === FULL_PICTURE || maxBlockChange(picture, previous, this.region) < this.motionGate;
  }

  /** A copy of `picture` for the next motion check: the caller's buffer may hold another picture by then. */
  private keep(picture: RgbImage): void {
    const { width, height, data } = picture;
    const copy = this.previous?.data.length === data.length ? this.previous.data : new Uint8Array(data.length);
    copy.set(data);
    this.previous = { data: copy, width, height };
  }

  private async estimate(picture: RgbImage): Promise<Keypoint[]> {
    const size = this.estimator.size;
    const direct = this.region === FULL_PICTURE && picture.width === size && picture.height === size;
    if (direct) this.input.set(picture.data);
    else cropResize(picture, this.region, size, this.input);
    const found = await this.estimator.run(this.input);
    const pose = direct ? found : fromCrop(found, this.region);
    if (this.tracking === 'crop') this.region = nextCropRegion(pose);
    return pose;
  }

  reset(): void {
    this.region = FULL_PICTURE;
    this.previous = this.last = undefined;
  }
}

/** Step between sampled pixels of the motion grid, and samples per block side. */
const GRID_STEP = 8;
const BLOCK = 8;
/** Samples across a crop region's side on its fine grid (4x4 blocks of 8x8 samples over the person). */
const REGION_SAMPLES = 32;

/**
 * The largest mean absolute change (grey levels, summed RGB / 3) of any block of the sampled grid between two
 * pictures of the same size: a person moving anywhere changes their block even when the picture barely changes.
 * With `region` the grid covers that region only, with REGION_SAMPLES samples across it whatever its size.
 */
export function maxBlockChange(a: RgbImage, b: RgbImage, region?: CropRegion): number {
  if (a.width !== b.width || a.height !== b.height) return Infinity;
  const x0 = region ? Math.max(0, Math.floor(region.x0 * a.width)) : 0;
  const y0 = region ? Math.max(0, Math.floor(region.y0 * a.height)) : 0;
  const x1 = region ? Math.min(a.width, Math.ceil((region.x0 + region.w) * a.width)) : a.width;
  const y1 = region ? Math.min(a.height, Math.ceil((region.y0 + region.h) * a.height)) : a.height;
  if (x1 <= x0 || y1 <= y0) return 0;
  const step = region ? Math.max(1, Math.floor(Math.max(x1 - x0, y1 - y0) / REGION_SAMPLES)) : GRID_STEP;
  const cols = Math.ceil((x1 - x0) / step),
    rows = Math.ceil((y1 - y0) / step);
  const bw = Math.ceil(cols / BLOCK),
    bh = Math.ceil(rows / BLOCK);
  const sum = new Float64Array(bw * bh),
    count = new Uint32Array(bw * bh);
  for (let gy = 0; gy < rows; gy++) {
    const row = (y0 + gy * step) * a.width;
    for (let gx = 0; gx < cols; gx++) {
      const o = (row + x0 + gx * step) * 3;
      const d = Math.abs(a.data[o] - b.data[o]) + Math.abs(a.data[o + 1] - b.data[o + 1]) + Math.abs(a.data[o + 2] - b.data[o + 2]);
      const k = Math.floor(gy / BLOCK) * bw + Math.floor(gx / BLOCK);
      sum[k] += d / 3;
      count[k]++;
    }
  }
  let max = 0;
  for (let k = 0; k < sum.length; k++) if (count[k]) max = Math.max(max, sum[k] / count[k]);
  return max;
}

/**
 * One camera's pose-fall scoring: a pose per sampled frame, the last `frames` poses scored as one window. Frames on
 * either side of a gap must not share a window: call `reset()`.
 */
export class PoseFallScorer {
  private readonly poses: Keypoint[][] = [];

  constructor(
    private readonly tracker: PoseTracker,
    private readonly fall: PoseFallModel,
  ) {}

  /** The pose in one letterboxed picture of the stage's `pictureSize`. */
  async push(picture: RgbImage): Promise<Keypoint[]> {
    const pose = await this.tracker.next(picture);
    this.poses.push(pose);
    if (this.poses.length > this.fall.frames) this.poses.shift();
    return pose;
  }

  /** The fall probability of the last window of poses, or undefined until a window is full. */
  async score(): Promise<number | undefined> {
    return this.poses.length === this.fall.frames ? this.fall.score(this.poses) : undefined;
  }

  reset(): void {
    this.poses.length = 0;
    this.tracker.reset();
  }

  /** Pictures whose pose was kept from the previous one (nothing moved). */
  get reused(): number {
    return this.tracker.reused;
  }
}

/** The pose stage of an agent: the pose model and the pose-fall model, shared by every camera. */
export class PoseStage {
  private constructor(
    readonly estimator: PoseEstimator,
    readonly fall: PoseFallModel,
    readonly motionGate: number,
  ) {}

  /** `onRun` hears every session run: graph `pose` (the pose model) or `pose-fall`, milliseconds, batch size. */
  static async open(
    fallCardPath: string = shippedPoseFallCard(),
    options: ModelRuntimeOptions & { onRun?: (graph: string, ms: number, batch: number) => void; motionGate?: number } = {},
  ): Promise<PoseStage> {
    const { onRun, motionGate = 0, ...runtime } = options;
    const fall = await PoseFallModel.open(fallCardPath, { ...runtime, onRun: onRun && ((ms, batch) => onRun('pose-fall', ms, batch)) });
    return new PoseStage(await PoseEstimator.open(fall.poseCardPath, { ...runtime, onRun: onRun && ((ms) => onRun('pose', ms, 1)) }), fall, motionGate);
  }

  /** The size of the letterboxed pictures the stage takes (the frame source's `side` output), as the keypoints were taken in training. */
  get pictureSize(): { width: number; height: number; fit: 'letterbox' } {
    const size = this.fall.card.keypoints?.picture ?? this.estimator.size;
    return { width: size, height: size, fit: 'letterbox' };
  }

  get tracking(): 'crop' | 'none' {
    return this.fall.card.keypoints?.tracking ?? 'none';
  }

  get threshold(): number {
    return this.fall.card.thresholds.fall;
  }

  describe(): string {
    const { width } = this.pictureSize;
    const tracking = this.tracking === 'crop' ? `, following the person with a ${this.estimator.size}x${this.estimator.size} crop` : '';
    const gate = this.motionGate > 0 ? `, pose kept where nothing moved by more than ${this.motionGate} grey levels` : '';
    return `fall scores from the pose stage: ${this.fall.card.name} over ${this.fall.frames} poses from ${this.estimator.card.name} (${width}x${width} letterboxed${tracking}${gate}); providers ${this.estimator.providers.join(', ')}`;
  }

  createScorer(): PoseFallScorer {
    return new PoseFallScorer(new PoseTracker(this.estimator, this.tracking, this.motionGate), this.fall);
  }

  async release(): Promise<void> {
    await Promise.all([this.estimator.release(), this.fall.release()]);
  }
}

/**
 * The video model's card as the event rules see it when falls come from the pose stage: every label that raises
 * falls takes the pose stage's threshold (a `fall` label is added when the video model has none), and `apply`
 * puts the pose stage's score in those labels' places.
 */
export function withPoseFall(card: ModelCard, threshold: number): { card: ModelCard; apply(scores: LabelScores, fall: number): LabelScores } {
  const fallLabels = card.labels.filter((l) => card.eventKinds[l] === 'fall');
  const labels = fallLabels.length ? card.labels : [...card.labels, 'fall'];
  const eventKinds = fallLabels.length ? card.eventKinds : { ...card.eventKinds, fall: 'fall' };
  const thresholds = { ...card.thresholds, ...Object.fromEntries((fallLabels.length ? fallLabels : ['fall']).map((l) => [l, threshold])) };
  return {
    card: { ...card, labels, eventKinds, thresholds },
    apply: (scores, fall) => Object.fromEntries(labels.map((l) => [l, eventKinds[l] === 'fall' ? fall : (scores[l] ?? 0)])),
  };
}
