import { resolve } from 'node:path';

/** The models shipped in the repository (the build copies `weights/` beside the compiled `src/`). */
export const SHIPPED_MODELS = {
  /** The joint space-time window model trained directly on the labels (`--recipe window`): the agent's default. */
  window: 'vigil-vit-tiny',
  /** The factorised streaming student distilled from the MAE-pretrained teacher (docs/model.md says when to pick it). */
  streaming: 'vigil-stream-tiny',
  /** The window model trained on zoomed crops, its thresholds chosen for tiles (`views: tiles`; five times the work). */
  tiles: 'vigil-vit-tiny-tiles',
} as const;

export function shippedModelCard(which: keyof typeof SHIPPED_MODELS = 'window'): string {
  return resolve(__dirname, '..', 'weights', `${SHIPPED_MODELS[which]}.card.json`);
}

/**
 * A `model.card` setting -> a card path: "builtin" (window model), "builtin-stream" (streaming student),
 * "builtin-tiles" (window model for tiles), or a path from the working directory.
 */
export function resolveModelCard(setting: string): string {
  if (setting === 'builtin') return shippedModelCard('window');
  if (setting === 'builtin-stream') return shippedModelCard('streaming');
  if (setting === 'builtin-tiles') return shippedModelCard('tiles');
  return resolve(setting);
}

/** A `model.poseCard` setting -> a pose-fall card path: "builtin" or a path from the working directory. */
export function resolvePoseFallCard(setting: string): string {
  return setting === 'builtin' ? resolve(__dirname, '..', 'weights', 'vigil-pose-fall.card.json') : resolve(setting);
}
