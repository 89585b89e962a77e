/** A polygon in picture coordinates from 0 (left/top) to 1 (right/bottom). */
export type Polygon = Array<[number, number]>;

/** RGB the masked pixels take: the model's mean colour, so they normalise to about zero. */
export const MASK_FILL: [number, number, number] = [124, 116, 104];

/**
 * A bitmap (1 = ignore) of the pixels of a width x height picture whose centre lies inside any polygon
 * (even-odd rule). Computed once per camera at the model's input size.
 */
export function rasteriseMask(polygons: Polygon[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const polygon of polygons) {
    for (let y = 0; y < height; y++) {
      const py = (y + 0.5) / height;
      for (let x = 0; x < width; x++) {
        if (inside(polygon, (x + 0.5) / width, py)) mask[y * width + x] = 1;
      }
    }
  }
  return mask;
}

function inside(polygon: Polygon, px: number, py: number): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Blanks the masked pixels of a packed RGB picture in place. */
export function applyMask(rgb: Uint8Array, mask: Uint8Array, fill: [number, number, number] = MASK_FILL): void {
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const o = i * 3;
    rgb[o] = fill[0];
    rgb[o + 1] = fill[1];
    rgb[o + 2] = fill[2];
  }
}

/**
 * The mask of a letterboxed square picture (the pose model's): the camera picture of `aspect` (width / height) is
 * fitted inside `size` x `size`, centred, so the polygons move into its rectangle.
 */
export function rasteriseLetterboxMask(polygons: Polygon[], aspect: number, size: number): Uint8Array {
  const w = aspect >= 1 ? size : size * aspect;
  const h = aspect >= 1 ? size / aspect : size;
  const [ox, oy] = [(size - w) / 2, (size - h) / 2];
  const moved = polygons.map((p) => p.map(([x, y]) => [(ox + x * w) / size, (oy + y * h) / size] as [number, number]));
  return rasteriseMask(moved, size, size);
}
