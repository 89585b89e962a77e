import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The JSON card beside every .onnx file: how to feed the model and how to read its output.
 * The stream and window code are configured from it, never from constants.
 */
export const ModelCardSchema = z.object({
  schema: z.literal('vigil.model-card/1').optional(),
  name: z.string().min(1),
  file: z.string().min(1).describe('the .onnx file, relative to the card'),
  input: z.object({
    name: z.string().default('pixel_values'),
    layout: z.literal('BTCHW'),
    frames: z.number().int().min(1).max(64),
    height: z.number().int().min(8).max(1024),
    width: z.number().int().min(8).max(1024),
    fps: z.number().positive().max(60).describe('frames per second the model was trained on'),
    channelOrder: z.enum(['RGB', 'BGR']).default('RGB'),
    scale: z
      .number()
      .positive()
      .default(1 / 255),
    mean: z.array(z.number()).length(3),
    std: z.array(z.number().positive()).length(3),
  }),
  output: z.object({ name: z.string().default('logits'), activation: z.enum(['sigmoid', 'softmax', 'none']) }),
  labels: z.array(z.string().min(1)).min(1),
  eventKinds: z.record(z.string(), z.string()).describe('model label -> event kind; labels not listed raise no event'),
  window: z.object({ hop: z.number().int().min(1) }).default({ hop: 1 }),
  views: z
    .enum(['whole', 'tiles'])
    .default('whole')
    .describe('what of each frame the thresholds were chosen for: the whole picture, or it and its four quadrants (views.ts)'),
  thresholds: z.record(z.string(), z.number().min(0).max(1)).default({}),
  confirming: z
    .object({ gate: z.number().min(0).max(1), thresholds: z.record(z.string(), z.number().min(0).max(1)).default({}) })
    .loose()
    .optional()
    .describe("when this model confirms another model's fire and smoke candidates (a cascade, cascade.ts): the gate and thresholds chosen for that"),
  parity: z
    .object({ batch: z.number().int().min(1), logits: z.array(z.array(z.number())), tolerance: z.number().positive() })
    .loose()
    .optional(),
  streaming: z
    .object({
      frame: z.object({
        file: z.string().min(1).describe('the per-frame encoder .onnx, relative to the card'),
        input: z.string().default('pixel_values'),
        previous: z.string().default('previous_pixel_values'),
        output: z.string().default('embedding'),
        embedding: z.number().int().min(1),
      }),
      temporal: z.object({
        file: z.string().min(1).describe('the temporal head .onnx, relative to the card'),
        input: z.string().default('embeddings'),
        output: z.string().default('logits'),
      }),
      parity: z
        .object({ embedding: z.array(z.array(z.number())), logits: z.array(z.array(z.number())), tolerance: z.number().positive() })
        .loose()
        .optional(),
    })
    .optional()
    .describe('a factorised model: each frame encoded once and cached, a temporal head per window'),
  variants: z
    .object({
      fp16: z
        .object({ file: z.string().min(1), tolerance: z.number().positive() })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
  teacher: z.unknown().optional(),
  metrics: z.unknown().optional(),
  training: z.unknown().optional(),
  architecture: z.unknown().optional(),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

export interface LoadedCard {
  card: ModelCard;
  cardPath: string;
  onnxPath: string;
  /** Absolute paths of the streaming graphs when the card has them. */
  streamingPaths?: { frame: string; temporal: string };
  fp16Path?: string;
}

export function loadModelCard(cardPath: string): LoadedCard {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cardPath, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read model card "${cardPath}": ${(err as Error).message}`);
  }
  const parsed = ModelCardSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(card)'}: ${i.message}`).join('; ');
    throw new Error(`Model card "${cardPath}" is invalid: ${problems}`);
  }
  const card = parsed.data;
  const unknownLabels = Object.keys(card.eventKinds).filter((l) => !card.labels.includes(l));
  if (unknownLabels.length) {
    throw new Error(`Model card "${cardPath}" maps labels that the model does not have: ${unknownLabels.join(', ')} (labels: ${card.labels.join(', ')})`);
  }
  const near = (file: string) => (isAbsolute(file) ? file : resolve(dirname(cardPath), file));
  return {
    card,
    cardPath,
    onnxPath: near(card.file),
    streamingPaths: card.streaming && { frame: near(card.streaming.frame.file), temporal: near(card.streaming.temporal.file) },
    fp16Path: card.variants?.fp16 && near(card.variants.fp16.file),
  };
}

/** A window's scores by the card's label names (in the card's label order). */
export type LabelScores = Readonly<Record<string, number>>;

/** The model's output row, in the card's label order, named: the one place that order is read. */
export function labelScores(card: ModelCard, values: ArrayLike<number>): LabelScores {
  return Object.fromEntries(card.labels.map((label, i) => [label, values[i]]));
}

/** Seconds of video one window covers. */
export function windowSeconds(card: ModelCard): number {
  return card.input.frames / card.input.fps;
}
