import { pack, Batcher, BatchBuffer, BatchedInference } from './batched-inference';
import { labelScores, loadModelCard, windowSeconds, type LabelScores, type ModelCard } from './model-card';
import { OnnxVideoModel, type Precision } from './onnx-video-model';
import { frameLength } from './preprocess';
import type { ModelRuntimeOptions } from './session';
import { SlidingWindow } from './sliding-window';
import { StreamingVideoModel } from './streaming-video-model';

export type ModelMode = 'auto' | 'window' | 'streaming';

export interface ScoredWindow {
  scores: LabelScores;
  /** Capture time of the window's newest frame. */
  at: number;
}

/** One camera's view of the model: frames in (normalised once), window scores out when a window is due. */
export interface WindowScorer {
  push(planes: Float32Array, at: number): Promise<ScoredWindow | undefined>;
  /** Forget the frames held, e.g. after a reconnect: frames on either side of a gap never share a window. */
  reset(): void;
}

export interface InferenceStats {
  /** Windows scored. */
  windows: number;
  /** Frames through the frame encoder (streaming only). */
  frames: number;
  runs: number;
  maxBatchSeen: number;
  totalMs: number;
}

/** The model an agent runs, whichever way it runs: joint window graph or streaming frame encoder + temporal head. */
export interface VideoModel {
  readonly card: ModelCard;
  readonly mode: 'window' | 'streaming';
  readonly precision: Precision;
  readonly executionProviders: string[];
  readonly fallbacks: string[];
  readonly stats: InferenceStats;
  createScorer(): WindowScorer;
  /** Scores one window of normalised frames (oldest first) outside any camera's sliding window; window graphs only. */
  scoreWindow?(frames: readonly Float32Array[]): Promise<LabelScores>;
  /** One run of the largest batch on blank input, before the cameras start; resolves with the batch size run. */
  warmUp(): Promise<number>;
  describe(): string;
  release(): Promise<void>;
}

export interface VideoModelOptions extends ModelRuntimeOptions {
  /** auto: streaming when the card has streaming graphs, else the window graph. */
  mode?: ModelMode;
  precision?: Precision;
  /** Most windows (or frames) in one run; the agent uses its camera count. */
  maxBatch?: number;
  /** How long an idle model holds a first window for others to join its batch (0: run at once). */
  maxWaitMs?: number;
  /** Called after every session run: which graph, its milliseconds and batch size. */
  onRun?: (graph: 'window' | 'frame' | 'temporal', ms: number, batch: number) => void;
  /** Score a window every `hop` new frames instead of the card's hop; the model's `card` then says this hop. */
  hop?: number;
}

export async function loadVideoModel(cardPath: string, options: VideoModelOptions = {}): Promise<VideoModel> {
  const mode = options.mode ?? 'auto';
  const { card } = loadModelCard(cardPath);
  if (options.hop !== undefined && (!Number.isInteger(options.hop) || options.hop < 1)) {
    throw new RangeError(`window hop must be a whole number of frames, 1 or more; got ${options.hop}`);
  }
  const streaming = mode === 'streaming' || (mode === 'auto' && card.streaming !== undefined);
  if (streaming && options.precision === 'fp16') {
    throw new Error(`Model card "${cardPath}": the fp16 variant is a window graph; set model.mode to window to use it`);
  }
  return streaming ? StreamingRunner.open(cardPath, options) : WindowRunner.open(cardPath, options);
}

/** The card as this runtime uses it: its own window hop, or the caller's. */
function withHop(card: ModelCard, hop: number | undefined): ModelCard {
  return hop === undefined || hop === card.window.hop ? card : { ...card, window: { ...card.window, hop } };
}

function header(card: ModelCard): string {
  const i = card.input;
  return `model ${card.name}: ${i.frames} frames of ${i.width}x${i.height} at ${i.fps} fps (${windowSeconds(card)} s windows, hop ${card.window.hop}), labels ${card.labels.join(', ')}`;
}

class WindowRunner implements VideoModel {
  readonly mode = 'window';
  readonly card: ModelCard;
  private constructor(
    private readonly model: OnnxVideoModel,
    private readonly queue: BatchedInference,
    hop: number | undefined,
  ) {
    this.card = withHop(model.card, hop);
  }

  static async open(cardPath: string, options: VideoModelOptions): Promise<WindowRunner> {
    const model = await OnnxVideoModel.load(cardPath, options);
    return new WindowRunner(
      model,
      new BatchedInference(model, options.maxBatch ?? 8, options.onRun && ((ms, n) => options.onRun!('window', ms, n)), options.maxWaitMs),
      options.hop,
    );
  }

  get precision() {
    return this.model.precision;
  }
  get executionProviders() {
    return this.model.executionProviders;
  }
  get fallbacks() {
    return this.model.fallbacks;
  }
  get stats(): InferenceStats {
    const s = this.queue.stats;
    return { windows: s.items, frames: 0, runs: s.runs, maxBatchSeen: s.maxBatchSeen, totalMs: s.totalMs };
  }

  createScorer(): WindowScorer {
    const card = this.card;
    const window = new SlidingWindow<Float32Array>(card.input.frames, card.window.hop);
    return {
      push: async (planes, at) => {
        const frames = window.push(planes);
        if (!frames) return undefined;
        return { scores: labelScores(card, await this.queue.score(frames)), at };
      },
      reset: () => window.reset(),
    };
  }

  async scoreWindow(frames: readonly Float32Array[]): Promise<LabelScores> {
    return labelScores(this.card, await this.queue.score(frames));
  }

  warmUp(): Promise<number> {
    const blank = new Float32Array(frameLength(this.card));
    return this.queue.warmUp(Array.from({ length: this.card.input.frames }, () => blank));
  }

  describe(): string {
    return `${header(this.card)}; joint window graph (${this.precision}); providers ${this.executionProviders.join(' > ')}`;
  }

  release(): Promise<void> {
    return this.model.release();
  }
}

class StreamingRunner implements VideoModel {
  readonly mode = 'streaming';
  readonly precision = 'fp32';
  private readonly encoder: Batcher<{ frame: Float32Array; previous: Float32Array }, Float32Array>;
  private readonly temporal: Batcher<Float32Array, number[]>;
  readonly card: ModelCard;

  private constructor(
    private readonly model: StreamingVideoModel,
    { maxBatch = 8, onRun, maxWaitMs = 0, hop }: VideoModelOptions,
  ) {
    this.card = withHop(model.card, hop);
    const per = frameLength(model.card);
    const e = model.embeddingSize;
    const frames = new BatchBuffer(per, model.readsInPlace);
    const previous = new BatchBuffer(per, model.readsInPlace);
    this.encoder = new Batcher<{ frame: Float32Array; previous: Float32Array }, Float32Array>(
      async (items) => {
        const out = await model.encode(
          pack(
            items.map((i) => i.frame),
            per,
            frames.take(items.length),
          ),
          pack(
            items.map((i) => i.previous),
            per,
            previous.take(items.length),
          ),
          items.length,
        );
        return items.map((_, i) => out.slice(i * e, (i + 1) * e));
      },
      maxBatch,
      onRun && ((ms, n) => onRun('frame', ms, n)),
      maxWaitMs,
    );
    const windowFloats = model.card.input.frames * e;
    const embeddings = new BatchBuffer(windowFloats, model.readsInPlace);
    this.temporal = new Batcher(
      (windows) => model.classify(pack(windows, windowFloats, embeddings.take(windows.length)), windows.length),
      maxBatch,
      onRun && ((ms, n) => onRun('temporal', ms, n)),
      maxWaitMs,
    );
  }

  static async open(cardPath: string, options: VideoModelOptions): Promise<StreamingRunner> {
    return new StreamingRunner(await StreamingVideoModel.load(cardPath, options), options);
  }

  get executionProviders() {
    return this.model.executionProviders;
  }
  get fallbacks() {
    return this.model.fallbacks;
  }
  get stats(): InferenceStats {
    const f = this.encoder.stats;
    const t = this.temporal.stats;
    return { windows: t.items, frames: f.items, runs: f.runs + t.runs, maxBatchSeen: Math.max(f.maxBatchSeen, t.maxBatchSeen), totalMs: f.totalMs + t.totalMs };
  }

  createScorer(): WindowScorer {
    const card = this.card;
    const window = new SlidingWindow<Float32Array>(card.input.frames, card.window.hop);
    let previous: Float32Array | undefined;
    return {
      push: async (planes, at) => {
        // the first frame after a reset is its own previous frame (no motion), as in training
        const embedding = await this.encoder.submit({ frame: planes, previous: previous ?? planes });
        previous = planes;
        const embeddings = window.push(embedding);
        if (!embeddings) return undefined;
        return { scores: labelScores(card, await this.temporal.submit(pack(embeddings, this.model.embeddingSize))), at };
      },
      reset: () => {
        window.reset();
        previous = undefined;
      },
    };
  }

  async warmUp(): Promise<number> {
    const blank = new Float32Array(frameLength(this.card));
    const batch = await this.encoder.warmUp({ frame: blank, previous: blank });
    await this.temporal.warmUp(new Float32Array(this.card.input.frames * this.model.embeddingSize));
    return batch;
  }

  describe(): string {
    return `${header(this.card)}; streaming (frame encoder once per frame, temporal head per window); providers ${this.executionProviders.join(' > ')}`;
  }

  release(): Promise<void> {
    return this.model.release();
  }
}
