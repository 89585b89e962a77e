import * as ort from 'onnxruntime-node';
import { loadModelCard, type LoadedCard, type ModelCard } from './model-card';
import { windowLength } from './preprocess';

export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

export interface ModelRuntimeOptions {
  /** Threads one inference may use. Keep it low when ffmpeg and several cameras share a small box. */
  intraOpThreads?: number;
  /** Tried in order; `cpu` is always appended as the last resort. */
  executionProviders?: ExecutionProvider[];
}

/**
 * An ONNX video classifier described by a model card: [B, T, 3, H, W] in, [B, K] logits out.
 * Returns probabilities (the card's activation applied) in the card's label order.
 */
export class OnnxVideoModel {
  private constructor(
    readonly loaded: LoadedCard,
    private readonly session: ort.InferenceSession,
    readonly executionProviders: string[],
    /** Providers asked for but not available here, with the reason. */
    readonly fallbacks: string[] = [],
  ) {}

  get card(): ModelCard {
    return this.loaded.card;
  }

  get labels(): string[] {
    return this.card.labels;
  }

  /**
   * Opens the session with the first of `executionProviders` (then CPU) that this machine can run: a provider
   * whose library or device is missing is skipped, and why is kept in `fallbacks`.
   */
  static async load(cardPath: string, options: ModelRuntimeOptions = {}): Promise<OnnxVideoModel> {
    const loaded = loadModelCard(cardPath);
    const wanted = [...new Set([...(options.executionProviders ?? []), 'cpu'])];
    const fallbacks: string[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const providers = wanted.slice(i);
      try {
        const session = await ort.InferenceSession.create(loaded.onnxPath, {
          executionProviders: providers,
          intraOpNumThreads: options.intraOpThreads ?? 1,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          executionMode: 'sequential',
        });
        const model = new OnnxVideoModel(loaded, session, providers, fallbacks);
        model.checkContract();
        return model;
      } catch (err) {
        const message = (err as Error).message;
        if (providers.length === 1 || /does not match its card/.test(message)) {
          throw new Error(`Cannot load model "${loaded.onnxPath}" (card ${cardPath}) with providers ${providers.join(', ')}: ${message}`);
        }
        fallbacks.push(`${providers[0]}: ${message.split('\n')[0]}`);
      }
    }
    throw new Error(`Cannot load model "${loaded.onnxPath}": no execution provider given`);
  }

  /** Fails with a message that names the mismatch when the graph does not match its card. */
  private checkContract(): void {
    const { card, cardPath, onnxPath } = this.loaded;
    const where = `model "${onnxPath}" does not match its card "${cardPath}"`;
    const input = this.session.inputMetadata.find((m) => m.name === card.input.name);
    if (!input) throw new Error(`${where}: no input named "${card.input.name}" (inputs: ${this.session.inputNames.join(', ')})`);
    const output = this.session.outputMetadata.find((m) => m.name === card.output.name);
    if (!output) throw new Error(`${where}: no output named "${card.output.name}" (outputs: ${this.session.outputNames.join(', ')})`);
    if (input.isTensor) {
      const want = [card.input.frames, 3, card.input.height, card.input.width];
      const got = input.shape.slice(1);
      if (input.shape.length !== 5 || want.some((v, i) => typeof got[i] === 'number' && got[i] !== v)) {
        throw new Error(`${where}: input "${input.name}" has shape [${input.shape.join(', ')}], the card says [batch, ${want.join(', ')}]`);
      }
    }
    if (output.isTensor) {
      const k = output.shape[1];
      if (output.shape.length !== 2 || (typeof k === 'number' && k !== card.labels.length)) {
        throw new Error(`${where}: output "${output.name}" has shape [${output.shape.join(', ')}], the card lists ${card.labels.length} labels`);
      }
    }
  }

  /** Scores windows prepared by `writeWindow`/`toPixelValues`, or one batch buffer of `count` windows. */
  async infer(batch: Float32Array, count: number): Promise<number[][]> {
    const per = windowLength(this.card);
    if (batch.length < per * count) throw new RangeError(`batch holds ${batch.length} floats, ${count} windows need ${per * count}`);
    const { frames, height, width } = this.card.input;
    const data = batch.length === per * count ? batch : batch.subarray(0, per * count);
    const feeds = { [this.card.input.name]: new ort.Tensor('float32', data, [count, frames, 3, height, width]) };
    const result = await this.session.run(feeds);
    const logits = result[this.card.output.name].data as Float32Array;
    const k = this.labels.length;
    const out: number[][] = [];
    for (let b = 0; b < count; b++) out.push(activate(Array.from(logits.subarray(b * k, (b + 1) * k)), this.card.output.activation));
    return out;
  }

  /** Raw logits, for parity checks against the training framework. */
  async logits(batch: Float32Array, count: number): Promise<Float32Array> {
    const { frames, height, width } = this.card.input;
    const feeds = { [this.card.input.name]: new ort.Tensor('float32', batch, [count, frames, 3, height, width]) };
    const result = await this.session.run(feeds);
    return result[this.card.output.name].data as Float32Array;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export function activate(logits: number[], activation: 'sigmoid' | 'softmax' | 'none'): number[] {
  if (activation === 'sigmoid') return logits.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation === 'softmax') {
    const max = Math.max(...logits);
    const exp = logits.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return exp.map((v) => v / sum);
  }
  return logits;
}
