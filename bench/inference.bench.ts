/**
 * ms per window of the shipped model on this machine: Vigil's path (uint8 frames -> preprocess -> OnnxVideoModel)
 * against bare onnxruntime-node running the same graph on a ready tensor, in the same process and run. The agent
 * normalises each frame once (a frame sits in frames/hop windows) and copies it into each window; the bench
 * times that path, and the naive one that normalises all 8 frames for every window.
 *
 *   npm run bench:inference [-- --runs 200 --threads 1]
 */
import { assembleWindow, normaliseFrame, OnnxVideoModel, shippedModelCard, toPixelValues, windowLength } from '@vigil/model';
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

/** Runs the contenders in turn, run after run, so drifts of a shared VM hit them alike. */
async function timeInterleaved(runs: number, fns: Array<() => Promise<unknown>>): Promise<number[][]> {
  for (let i = 0; i < 10; i++) for (const fn of fns) await fn();
  const out = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const t = performance.now();
      await fns[k]();
      out[k].push(performance.now() - t);
    }
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

  console.log(`model ${card.name}: ${t}x${w}x${h}, ${runs} interleaved runs after 10 warm-ups, intraOpNumThreads=${threads}, ${cpus()[0].model} x${cpus().length}, node ${process.version}`);
  const hop = card.window.hop;
  console.log('batch | bare onnxruntime p50 ms/window | vigil, frames normalised once (agent) p50 ms/window | ratio | vigil, every frame every window p50 ms/window | ratio | agent path p95 ms/batch');
  for (const batch of [1, 2, 4, 8]) {
    const per = windowLength(card);
    const tensor = new ort.Tensor('float32', new Float32Array(per * batch).fill(0.1), [batch, t, 3, h, w]);
    const bareRun = () => bare.run({ [card.input.name]: tensor });
    const planes = raw.map((f) => normaliseFrame(f, card));
    const agentRun = async () => {
      const input = new Float32Array(per * batch);
      for (let b = 0; b < batch; b++) {
        // per window the agent normalises only the hop new frames and copies the rest
        for (let k = 0; k < hop; k++) planes[t - hop + k] = normaliseFrame(raw[(b + k) % t], card);
        assembleWindow(planes, card, input, b * per);
      }
      return model.infer(input, batch);
    };
    const naiveRun = async () => {
      const input = new Float32Array(per * batch);
      for (let b = 0; b < batch; b++) input.set(toPixelValues(raw, card), b * per);
      return model.infer(input, batch);
    };
    const [bareMs, agentMs, naiveMs] = await timeInterleaved(runs, [bareRun, agentRun, naiveRun]);
    const b = stats(bareMs);
    const a = stats(agentMs);
    const n = stats(naiveMs);
    console.log(
      `${String(batch).padStart(5)} | ${(b.p50 / batch).toFixed(2).padStart(30)} | ${(a.p50 / batch).toFixed(2).padStart(52)} | ${(a.p50 / b.p50).toFixed(3)} | ${(n.p50 / batch).toFixed(2).padStart(46)} | ${(n.p50 / b.p50).toFixed(3)} | ${a.p95.toFixed(1)}`,
    );
  }
  await bare.release();
  await model.release();
}

void main();
