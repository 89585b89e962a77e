import type { RgbImage } from '../preprocess';
import type { Keypoint } from './pose-estimator';

/** A square-ish region of the picture, in picture coordinates from 0 to 1 (it may reach past the edges). */
export interface CropRegion {
  y0: number;
  x0: number;
  h: number;
  w: number;
}

export const FULL_PICTURE: CropRegion = { y0: 0, x0: 0, h: 1, w: 1 };

/** Keypoints below this score do not steer the crop (MoveNet's own tracking value). */
const MIN_CROP_SCORE = 0.2;
const [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP] = [5, 6, 11, 12];

/**
 * The region to look at in the next frame, from this frame's pose: a square around the hips that holds the
 * torso with a margin of 1.9 and the whole body with 1.2 (MoveNet's published cropping algorithm), or the whole
 * picture when no torso is seen or the body fills most of it. Works in a square picture (the letterboxed one).
 */
export function nextCropRegion(pose: readonly Keypoint[]): CropRegion {
  const seen = (i: number) => pose[i].score > MIN_CROP_SCORE;
  if (!((seen(L_HIP) || seen(R_HIP)) && (seen(L_SHOULDER) || seen(R_SHOULDER)))) return FULL_PICTURE;
  const cy = (pose[L_HIP].y + pose[R_HIP].y) / 2;
  const cx = (pose[L_HIP].x + pose[R_HIP].x) / 2;
  let torso = 0,
    body = 0;
  for (const i of [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP]) torso = Math.max(torso, Math.abs(cy - pose[i].y), Math.abs(cx - pose[i].x));
  pose.forEach((k) => {
    if (k.score > MIN_CROP_SCORE) body = Math.max(body, Math.abs(cy - k.y), Math.abs(cx - k.x));
  });
  let half = Math.max(torso * 1.9, body * 1.2);
  half = Math.min(half, Math.max(cx, 1 - cx, cy, 1 - cy));
  if (half > 0.5 || half <= 0) return FULL_PICTURE;
  return { y0: cy - half, x0: cx - half, h: 2 * half, w: 2 * half };
}

/** The region of `picture` resampled (bilinear) into a size x size RGB picture; outside the picture is black. */
export function cropResize<T extends Uint8Array | Int32Array<ArrayBufferLike>>(
  picture: RgbImage,
  region: CropRegion,
  size: number,
  out: T = new Uint8Array(size * size * 3) as T,
): T {
  const { data, width, height } = picture;
  // per output column: the two source columns (byte offsets, -1 outside) and the weight of the right one
  const xa = new Int32Array(size),
    xb = new Int32Array(size),
    xf = new Float32Array(size);
  // the columns [lo, hi) whose two source columns are both inside the picture
  let lo = size,
    hi = 0;
  for (let ox = 0; ox < size; ox++) {
    const sx = (region.x0 + ((ox + 0.5) / size) * region.w) * width - 0.5;
    const x0 = Math.floor(sx);
    xa[ox] = x0 >= 0 && x0 < width ? x0 * 3 : -1;
    xb[ox] = x0 + 1 >= 0 && x0 + 1 < width ? (x0 + 1) * 3 : -1;
    xf[ox] = sx - x0;
    if (xa[ox] >= 0 && xb[ox] >= 0) {
      lo = Math.min(lo, ox);
      hi = ox + 1;
    }
  }
  const columns = { xa, xb, xf };
  for (let oy = 0; oy < size; oy++) {
    const sy = (region.y0 + ((oy + 0.5) / size) * region.h) * height - 0.5;
    const y0 = Math.floor(sy),
      fy = sy - y0;
    const rowA = y0 >= 0 && y0 < height ? y0 * width * 3 : -1;
    const rowB = y0 + 1 >= 0 && y0 + 1 < height ? (y0 + 1) * width * 3 : -1;
    const rowOut = oy * size * 3;
    if (rowA < 0 || rowB < 0 || lo >= hi) {
      resampleEdge(data, out, columns, rowA, rowB, fy, 0, size, rowOut);
      continue;
    }
    resampleEdge(data, out, columns, rowA, rowB, fy, 0, lo, rowOut);
    // inside the picture: the same arithmetic without the bounds checks
    for (let ox = lo; ox < hi; ox++) {
      const fx = xf[ox];
      const ta = rowA + xa[ox],
        tb = rowA + xb[ox],
        ba = rowB + xa[ox],
        bb = rowB + xb[ox];
      const o = rowOut + ox * 3;
      out[o] = lerp2(data[ta], data[tb], data[ba], data[bb], fx, fy);
      out[o + 1] = lerp2(data[ta + 1], data[tb + 1], data[ba + 1], data[bb + 1], fx, fy);
      out[o + 2] = lerp2(data[ta + 2], data[tb + 2], data[ba + 2], data[bb + 2], fx, fy);
    }
    resampleEdge(data, out, columns, rowA, rowB, fy, hi, size, rowOut);
  }
  return out;
}

/** Output columns [from, to) of one row, where a source pixel may lie outside the picture (black). */
function resampleEdge(
  data: Uint8Array,
  out: Uint8Array | Int32Array<ArrayBufferLike>,
  { xa, xb, xf }: { xa: Int32Array; xb: Int32Array; xf: Float32Array },
  rowA: number,
  rowB: number,
  fy: number,
  from: number,
  to: number,
  rowOut: number,
): void {
  for (let ox = from; ox < to; ox++) {
    const a = xa[ox],
      b = xb[ox],
      fx = xf[ox];
    const o = rowOut + ox * 3;
    for (let c = 0; c < 3; c++) {
      const tl = rowA >= 0 && a >= 0 ? data[rowA + a + c] : 0;
      const tr = rowA >= 0 && b >= 0 ? data[rowA + b + c] : 0;
      const bl = rowB >= 0 && a >= 0 ? data[rowB + a + c] : 0;
      const br = rowB >= 0 && b >= 0 ? data[rowB + b + c] : 0;
      out[o + c] = lerp2(tl, tr, bl, br, fx, fy);
    }
  }
}

/** Bilinear blend of four pixel values, rounded: the one formula both paths share. */
function lerp2(tl: number, tr: number, bl: number, br: number, fx: number, fy: number): number {
  const top = tl + (tr - tl) * fx;
  return Math.round(top + (bl + (br - bl) * fx - top) * fy);
}

/** Keypoints found in a crop, back in the coordinates of the whole picture. */
export function fromCrop(pose: readonly Keypoint[], region: CropRegion): Keypoint[] {
  return pose.map((k) => ({ y: region.y0 + k.y * region.h, x: region.x0 + k.x * region.w, score: k.score }));
}
