import { resolve } from 'node:path';

/** The models shipped in the repository (the build copies `weights/` beside the compiled `src/`). */
export const SHIPPED_MODELS = {
  /** The factorised streaming student distilled from the MAE-pretrained teacher: the agent's default. */
  streaming: 'vigil-stream-tiny',
  /** The joint space-time window model trained directly on the labels (`--recipe window`). */
  window: 'vigil-vit-tiny',
} as const;

export function shippedModelCard(which: keyof typeof SHIPPED_MODELS = 'streaming'): string {
  return resolve(__dirname, '..', 'weights', `${SHIPPED_MODELS[which]}.card.json`);
}
