import { resolve } from 'node:path';

/** The model shipped in the repository (the build copies `weights/` beside the compiled `src/`). */
export function shippedModelCard(): string {
  return resolve(__dirname, '..', 'weights', 'vigil-vit-tiny.card.json');
}
