import * as ort from 'onnxruntime-node';
import { loadModelCard, type LoadedCard, type ModelCard } from './model-card';
import { scoresFromLogits } from './onnx-video-model';
import { frameLength } from './preprocess';
import { openSession, readsInPlace, tensorShape, type ModelRuntimeOptions, type ModelSession } from './session';

/**
 * A factorised video model: a frame encoder run once per new frame (the frame and the one before it in, an
 * embedding out) and a temporal head run per window over the last T cached embeddings. A camera's cost per
 * frame is one encoder pass whatever the window hop.
 */
export class StreamingVideoModel {
  private constructor(
    readonly loaded: LoadedCard,
    private readonly frameSession: ModelSession,
    private readonly temporalSession: ModelSession,
    readonly executionProviders: string[],
    readonly fallbacks: string[],
  ) {}

  get card(): ModelCard {
    return this.loaded.card;
  }

  /** Its sessions run on threads of their own and read batches in shared memory in place (see BatchBuffer). */
  get readsInPlace(): boolean {
    return readsInPlace(this.frameSession) && readsInPlace(this.temporalSession);
  }

  get embeddingSize(): number {
    return this.card.streaming!.frame.embedding;
  }

  static async load(cardPath: string, options: ModelRuntimeOptions = {}): Promise<StreamingVideoModel> {
    const loaded = loadModelCard(cardPath);
    const { card, streamingPaths } = loaded;
    if (!card.streaming || !streamingPaths) {
      throw new Error(`Model card "${cardPath}" has no streaming graphs (streaming.frame, streaming.temporal); set model.mode to window`);
    }
    const { frame, temporal } = card.streaming;
    const frameOpened = await openSession(streamingPaths.frame, options, (s) => {
      const where = `frame encoder "${streamingPaths.frame}" does not match its card "${cardPath}"`;
      for (const name of [frame.input, frame.previous]) {
        const shape = tensorShape(s, name, 'input', where);
        const want = [3, card.input.height, card.input.width];
        if (shape && (shape.length !== 4 || want.some((v, i) => typeof shape[i + 1] === 'number' && shape[i + 1] !== v))) {
          throw new Error(`${where}: input "${name}" has shape [${shape.join(', ')}], the card says [batch, ${want.join(', ')}]`);
        }
      }
      const out = tensorShape(s, frame.output, 'output', where);
      if (out && typeof out[1] === 'number' && out[1] !== frame.embedding) {
        throw new Error(`${where}: output "${frame.output}" is ${out[1]} wide, the card says ${frame.embedding}`);
      }
    });
    const temporalOpened = await openSession(streamingPaths.temporal, options, (s) => {
      const where = `temporal head "${streamingPaths.temporal}" does not match its card "${cardPath}"`;
      const shape = tensorShape(s, temporal.input, 'input', where);
      const want = [card.input.frames, frame.embedding];
      if (shape && (shape.length !== 3 || want.some((v, i) => typeof shape[i + 1] === 'number' && shape[i + 1] !== v))) {
        throw new Error(`${where}: input "${temporal.input}" has shape [${shape.join(', ')}], the card says [batch, ${want.join(', ')}]`);
      }
      const out = tensorShape(s, temporal.output, 'output', where);
      if (out && typeof out[1] === 'number' && out[1] !== card.labels.length) {
        throw new Error(`${where}: output "${temporal.output}" has shape [${out.join(', ')}], the card lists ${card.labels.length} labels`);
      }
    });
    return new StreamingVideoModel(loaded, frameOpened.session, temporalOpened.session, frameOpened.providers, [
      ...frameOpened.fallbacks,
      ...temporalOpened.fallbacks.filter((f) => !frameOpened.fallbacks.includes(f)),
    ]);
  }

  /** `count` normalised frames [3, H, W] and the frame before each -> `count` embeddings in one buffer. */
  async encode(frames: Float32Array, previous: Float32Array, count: number): Promise<Float32Array> {
    const { frame } = this.card.streaming!;
    const { height, width } = this.card.input;
    const n = frameLength(this.card) * count;
    if (frames.length < n || previous.length < n) throw new RangeError(`${count} frames need ${n} floats`);
    const shape = [count, 3, height, width];
    const result = await this.frameSession.run({
      [frame.input]: new ort.Tensor('float32', frames.length === n ? frames : frames.subarray(0, n), shape),
      [frame.previous]: new ort.Tensor('float32', previous.length === n ? previous : previous.subarray(0, n), shape),
    });
    return result[frame.output].data as Float32Array;
  }

  /** Raw logits for `count` windows of T embeddings each. */
  async temporalLogits(embeddings: Float32Array, count: number): Promise<Float32Array> {
    const { temporal, frame } = this.card.streaming!;
    const t = this.card.input.frames;
    const n = count * t * frame.embedding;
    const data = embeddings.length === n ? embeddings : embeddings.subarray(0, n);
    const result = await this.temporalSession.run({ [temporal.input]: new ort.Tensor('float32', data, [count, t, frame.embedding]) });
    return result[temporal.output].data as Float32Array;
  }

  async classify(embeddings: Float32Array, count: number): Promise<number[][]> {
    return scoresFromLogits(await this.temporalLogits(embeddings, count), count, this.card);
  }

  async release(): Promise<void> {
    await Promise.all([this.frameSession.release(), this.temporalSession.release()]);
  }
}
