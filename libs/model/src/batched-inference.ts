import type { OnnxVideoModel } from './onnx-video-model';
import { windowLength } from './preprocess';

interface Pending {
  window: Float32Array;
  resolve: (scores: number[]) => void;
  reject: (err: Error) => void;
}

/**
 * Shares one inference session between many cameras. Windows that arrive while a run is in progress are
 * batched into the next run (up to `maxBatch`), so batching costs no added latency when the box is idle and
 * amortises per-run overhead when it is busy.
 */
export class BatchedInference {
  private readonly waiting: Pending[] = [];
  private running = false;
  readonly stats = { runs: 0, windows: 0, maxBatchSeen: 0, totalMs: 0 };

  constructor(
    private readonly model: OnnxVideoModel,
    private readonly maxBatch = 8,
  ) {}

  score(window: Float32Array): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ window, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    const per = windowLength(this.model.card);
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.maxBatch);
        const input = new Float32Array(per * batch.length);
        batch.forEach((p, i) => input.set(p.window, i * per));
        const started = performance.now();
        try {
          const scores = await this.model.infer(input, batch.length);
          batch.forEach((p, i) => p.resolve(scores[i]));
        } catch (err) {
          batch.forEach((p) => p.reject(err as Error));
        }
        this.stats.runs++;
        this.stats.windows += batch.length;
        this.stats.maxBatchSeen = Math.max(this.stats.maxBatchSeen, batch.length);
        this.stats.totalMs += performance.now() - started;
      }
    } finally {
      this.running = false;
    }
  }
}
