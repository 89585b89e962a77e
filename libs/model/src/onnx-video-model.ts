import * as ort from 'onnxruntime-node';
import { loadModelCard, type LoadedCard, type ModelCard } from './model-card';
import { windowLength } from './preprocess';
import { openSession, readsInPlace, tensorShape, type ModelRuntimeOptions, type ModelSession } from './session';

export type Precision = 'fp32' | 'fp16';

/**
 * An ONNX video classifier described by a model card: [B, T, 3, H, W] in, [B, K] logits out.
 * Returns probabilities (the card's activation applied) in the card's label order.
 */
export class OnnxVideoModel {
  private constructor(
    readonly loaded: LoadedCard,
    private readonly session: ModelSession,
    readonly executionProviders: string[],
    /** Providers asked for but not available here, with the reason. */
    readonly fallbacks: string[] = [],
    readonly precision: Precision = 'fp32',
  ) {}

  get card(): ModelCard {
    return this.loaded.card;
  }

  /** Its session runs on a thread of its own and reads batches in shared memory in place (see BatchBuffer). */
  get readsInPlace(): boolean {
    return readsInPlace(this.session);
  }

  get labels(): string[] {
    return this.card.labels;
  }

  /** Opens the card's window graph (or its fp16 variant) on the first execution provider this machine can run. */
  static async load(cardPath: string, options: ModelRuntimeOptions & { precision?: Precision } = {}): Promise<OnnxVideoModel> {
    const loaded = loadModelCard(cardPath);
    const precision = options.precision ?? 'fp32';
    if (precision === 'fp16' && !loaded.fp16Path) {
      throw new Error(`Model card "${cardPath}" has no fp16 variant (variants.fp16); set model.precision to fp32`);
    }
    const path = precision === 'fp16' ? loaded.fp16Path! : loaded.onnxPath;
    const { session, providers, fallbacks } = await openSession(path, options, (s) => checkWindowContract(s, loaded, path));
    return new OnnxVideoModel(loaded, session, providers, fallbacks, precision);
  }

  /** Scores windows prepared by `writeWindow`/`assembleWindow`, or one batch buffer of `count` windows. */
  async infer(batch: Float32Array, count: number): Promise<number[][]> {
    return scoresFromLogits(await this.logits(batch, count), count, this.card);
  }

  /** Raw logits, for parity checks against the training framework. */
  async logits(batch: Float32Array, count: number): Promise<Float32Array> {
    const per = windowLength(this.card);
    if (batch.length < per * count) throw new RangeError(`batch holds ${batch.length} floats, ${count} windows need ${per * count}`);
    const { frames, height, width } = this.card.input;
    const data = batch.length === per * count ? batch : batch.subarray(0, per * count);
    const feeds = { [this.card.input.name]: new ort.Tensor('float32', data, [count, frames, 3, height, width]) };
    const result = await this.session.run(feeds);
    return result[this.card.output.name].data as Float32Array;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function checkWindowContract(session: ModelSession, { card, cardPath }: LoadedCard, onnxPath: string): void {
  const where = `model "${onnxPath}" does not match its card "${cardPath}"`;
  const input = tensorShape(session, card.input.name, 'input', where);
  const output = tensorShape(session, card.output.name, 'output', where);
  if (input) {
    const want = [card.input.frames, 3, card.input.height, card.input.width];
    const got = input.slice(1);
    if (input.length !== 5 || want.some((v, i) => typeof got[i] === 'number' && got[i] !== v)) {
      throw new Error(`${where}: input "${card.input.name}" has shape [${input.join(', ')}], the card says [batch, ${want.join(', ')}]`);
    }
  }
  if (output) {
    const k = output[1];
    if (output.length !== 2 || (typeof k === 'number' && k !== card.labels.length)) {
      throw new Error(`${where}: output "${card.output.name}" has shape [${output.join(', ')}], the card lists ${card.labels.length} labels`);
    }
  }
}

/** `count` rows of K logits -> per-row probabilities with the card's activation, in label order. */
export function scoresFromLogits(logits: Float32Array, count: number, card: ModelCard): number[][] {
  const k = card.labels.length;
  const out: number[][] = [];
  for (let b = 0; b < count; b++) out.push(activate(Array.from(logits.subarray(b * k, (b + 1) * k)), card.output.activation));
  return out;
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
