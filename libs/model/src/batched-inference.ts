import type { OnnxVideoModel } from './onnx-video-model';
import { assembleWindow, windowLength } from './preprocess';
import { sharedFloat32 } from './worker-session';

interface Pending<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: Error) => void;
}

export interface BatchStats {
  runs: number;
  items: number;
  maxBatchSeen: number;
  totalMs: number;
}

/**
 * Shares one inference session between many cameras. Items that arrive while a run is in progress are batched
 * into the next run (up to `maxBatch`), as are items submitted in the same tick, so batching costs no added latency
 * when the box is idle and amortises per-run overhead when it is busy. With `maxWaitMs` > 0 an idle batcher also holds a first item up to that long
 * for others to join (a GPU, where a batch of 8 costs little more than 1, gains from it; a CPU does not).
 */
export class Batcher<I, O> {
  private readonly waiting: Pending<I, O>[] = [];
  private running = false;
  private timer?: NodeJS.Timeout;
  readonly stats: BatchStats = { runs: 0, items: 0, maxBatchSeen: 0, totalMs: 0 };

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 8,
    /** Called after every run with its duration and batch size (metrics). */
    private readonly onRun?: (ms: number, batch: number) => void,
    private readonly maxWaitMs = 0,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.running) return;
      if (this.maxWaitMs <= 0 || this.waiting.length >= this.maxBatch) {
        clearTimeout(this.timer);
        this.timer = undefined;
        // after the current task's other submits (a camera's tiles), so items submitted together share a run
        queueMicrotask(() => {
          if (!this.running) void this.drain();
        });
      } else {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          if (!this.running) void this.drain();
        }, this.maxWaitMs);
      }
    });
  }

  /**
   * Runs one full batch of `item` before any real work, outside the stats: the session's first run and the memory
   * of its largest batch are taken at start-up rather than by a burst hours later. Resolves with the items run
   * (none once real work has started).
   */
  async warmUp(item: I): Promise<number> {
    if (this.running || this.waiting.length) return 0;
    await this.run(Array.from({ length: this.maxBatch }, () => item));
    return this.maxBatch;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.maxBatch);
        const started = performance.now();
        try {
          const out = await this.run(batch.map((p) => p.item));
          batch.forEach((p, i) => p.resolve(out[i]));
        } catch (err) {
          batch.forEach((p) => p.reject(err as Error));
        }
        this.stats.runs++;
        this.stats.items += batch.length;
        this.stats.maxBatchSeen = Math.max(this.stats.maxBatchSeen, batch.length);
        const ms = performance.now() - started;
        this.stats.totalMs += ms;
        this.onRun?.(ms, batch.length);
      }
    } finally {
      this.running = false;
    }
  }
}

/** Equal-length float items packed back to back into one buffer (`out`, or a new one). */
export function pack(items: readonly Float32Array[], per: number, out: Float32Array<ArrayBufferLike> = new Float32Array(per * items.length)): Float32Array {
  items.forEach((v, i) => out.set(v.subarray(0, per), i * per));
  return out;
}

/**
 * The input buffer of a batcher's runs, kept from run to run (a batcher runs one batch at a time). A fresh buffer
 * per run of a window model is megabytes a few times a second, in sizes that vary with the batch: the allocator
 * keeps the holes, and a busy agent's resident memory crept up with them.
 */
export class BatchBuffer {
  private buffer: Float32Array<ArrayBufferLike> = new Float32Array(0);

  /** `shared`: in shared memory, for a session on its own thread to read in place (WorkerSession). */
  constructor(
    private readonly per: number,
    private readonly shared = false,
  ) {}

  /** Room for `count` items; valid until the next call. */
  take(count: number): Float32Array<ArrayBufferLike> {
    const n = this.per * count;
    if (this.buffer.length < n) this.buffer = this.shared ? sharedFloat32(n) : new Float32Array(n);
    return this.buffer.subarray(0, n);
  }
}

/**
 * Windows of a joint space-time model, batched onto its session. A window is its T normalised frames; they are
 * copied once, straight into the batch buffer.
 */
export class BatchedInference extends Batcher<readonly Float32Array[], number[]> {
  constructor(model: OnnxVideoModel, maxBatch = 8, onRun?: (ms: number, batch: number) => void, maxWaitMs = 0) {
    const per = windowLength(model.card);
    const input = new BatchBuffer(per, model.readsInPlace);
    const run = (windows: (readonly Float32Array[])[]) => {
      const batch = input.take(windows.length);
      windows.forEach((planes, i) => assembleWindow(planes, model.card, batch, i * per));
      return model.infer(batch, windows.length);
    };
    super(run, maxBatch, onRun, maxWaitMs);
  }

  /** Scores one window given as its frames' normalised planes, oldest first. */
  score(planes: readonly Float32Array[]): Promise<number[]> {
    return this.submit(planes);
  }
}
