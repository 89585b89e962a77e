/**
 * ms per window of the shipped model on this machine: Vigil's path (uint8 frames -> preprocess -> OnnxVideoModel)
 * against bare onnxruntime-node running the same graph on a ready tensor, in the same process and run.
 *
 *   npm run bench:inference [-- --runs 200 --threads 1]
 */
import { OnnxVideoModel, shippedModelCard, toPixelValues, windowLength } from '@vigil/model';
import * as ort from 'onnxruntime-node';
import { cpus } from 'node:os';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const runs = arg('--runs', 200);
  const threads = arg('--threads', 1);
  const model = await OnnxVideoModel.load(shippedModelCard(), { intraOpThreads: threads });
  const card = model.card;
  const { frames: t, width: w, height: h } = card.input;
  const raw = Array.from({ length: t }, (_, f) => ({ data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31 + f * 7) % 256), width: w, height: h }));
  const bare = await ort.InferenceSession.create(model.loaded.onnxPath, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', executionProviders: ['cpu'] });

  console.log(`model ${card.name}: ${t}x${w}x${h}, ${runs} runs after 10 warm-ups, intraOpNumThreads=${threads}, ${cpus()[0].model} x${cpus().length}, node ${process.version}`);
  console.log('batch | bare onnxruntime p50 ms/window | vigil (preprocess + infer) p50 ms/window | ratio | vigil p95 ms/batch');
  for (const batch of [1, 2, 4, 8]) {
    const per = windowLength(card);
    const tensor = new ort.Tensor('float32', new Float32Array(per * batch).fill(0.1), [batch, t, 3, h, w]);
    const bareMs = await time(runs, () => bare.run({ [card.input.name]: tensor }));
    const vigilMs = await time(runs, async () => {
      const input = new Float32Array(per * batch);
      for (let b = 0; b < batch; b++) input.set(toPixelValues(raw, card), b * per);
      return model.infer(input, batch);
    });
    const b = stats(bareMs);
    const v = stats(vigilMs);
    console.log(`${String(batch).padStart(5)} | ${(b.p50 / batch).toFixed(2).padStart(30)} | ${(v.p50 / batch).toFixed(2).padStart(40)} | ${(v.p50 / b.p50).toFixed(3).padStart(5)} | ${v.p95.toFixed(1)}`);
  }
  await bare.release();
  await model.release();
}

void main();
