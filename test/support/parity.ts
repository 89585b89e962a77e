/**
 * The input every window model's parity fixture was scored on (libs/model/training/vigil_train/export.py,
 * parity_input): x[i] = ((i * 7919) % 1000) / 500 - 1, row-major; `reverse` lays the same ramp out back to front.
 */
export function parityRamp(length: number, reverse = false): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[reverse ? length - 1 - i : i] = ((i * 7919) % 1000) / 500 - 1;
  return out;
}
