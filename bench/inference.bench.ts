/**
 * ms per window on this machine, by batch size (cameras whose windows share a run), each against bare
 * onnxruntime-node running the same graph on ready tensors, in the same process and run:
 * (1) the joint window graph: the agent's scorers (uint8 frames normalised once each, windows assembled straight
 *     into the batch buffer, one run per batch) and the naive path that normalises all 8 frames for every window;
 * (2) for a streaming card, the agent's streaming scorers (hop frame-encoder passes + one temporal pass per window,
 *     batched across cameras) against bare sessions of the two graphs, and against the window graph.
 *
 *   npm run bench:inference [-- --runs 200 --threads 1 --card builtin | builtin-stream | path/to/card.json]
 */
import {
  frameLength,
  loadModelCard,
  loadVideoModel,
  normaliseFrame,
  OnnxVideoModel,
  resolveModelCard,
  toPixelValues,
  windowLength,
  type ModelCard,
  type RgbImage,
} from '@vigil/model';
import * as ort from 'onnxruntime-node';
import { benchOptions } from './options';
import { writeResult, type InferenceResult, type InferenceRow } from './results';
import { cpus } from 'node:os';

const options = benchOptions('Usage: npm run bench:inference [-- --runs 200 --threads 1 --card builtin|builtin-stream|<card.json> --json <file>]', {
  runs: { type: 'string' },
  threads: { type: 'string' },
  card: { type: 'string' },
  json: { type: 'string' },
});

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
  const runs = options.number('runs', 200);
  const threads = options.number('threads', 1);
  const cardOption = options.string('card', 'builtin');
  const cardPath = resolveModelCard(cardOption);
  const model = await OnnxVideoModel.load(cardPath, { intraOpThreads: threads });
  const card = model.card;
  const { frames: t, width: w, height: h } = card.input;
  const raw = Array.from({ length: t }, (_, f) => ({ data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31 + f * 7) % 256), width: w, height: h }));
  const bare = await ort.InferenceSession.create(model.loaded.onnxPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    executionProviders: ['cpu'],
  });

  console.log(
    `model ${card.name}: ${t}x${w}x${h}, ${runs} interleaved runs after 10 warm-ups, intraOpNumThreads=${threads}, ${cpus()[0].model} x${cpus().length}, node ${process.version}`,
  );
  const hop = card.window.hop;
  const result: InferenceResult = {
    bench: 'inference',
    date: new Date().toISOString(),
    machine: `${cpus()[0].model} x${cpus().length}, node ${process.version}, intraOpNumThreads=${threads}`,
    model: card.name,
    graphs: [{ graph: 'window', rows: [] }],
  };
  console.log('\n(1) joint window graph');
  console.log(
    'batch | bare onnxruntime p50 ms/window | vigil, frames normalised once (agent) p50 ms/window | ratio | vigil, every frame every window p50 ms/window | ratio | agent path p95 ms/batch',
  );
  for (const batch of [1, 2, 4, 8]) {
    const per = windowLength(card);
    const tensor = new ort.Tensor('float32', new Float32Array(per * batch).fill(0.1), [batch, t, 3, h, w]);
    const bareRun = () => bare.run({ [card.input.name]: tensor });
    // the agent's own code: one scorer per camera, each normalising its hop new frames once, windows batched
    const runner = await loadVideoModel(cardPath, { mode: 'window', intraOpThreads: threads, maxBatch: batch });
    const scorers = Array.from({ length: batch }, () => runner.createScorer());
    let clock = 0;
    for (let k = 0; k < t; k++) await Promise.all(scorers.map((sc) => sc.push(normaliseFrame(raw[k], card), clock++)));
    const agentRun = async () => {
      for (let k = 0; k < hop; k++) {
        await Promise.all(scorers.map((sc, b) => sc.push(normaliseFrame(raw[(clock + b) % t], card), clock)));
        clock++;
      }
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
    result.graphs[0].rows.push({ batch, bareP50Ms: b.p50 / batch, agentP50Ms: a.p50 / batch });
    console.log(
      `${String(batch).padStart(5)} | ${(b.p50 / batch).toFixed(2).padStart(30)} | ${(a.p50 / batch).toFixed(2).padStart(52)} | ${(a.p50 / b.p50).toFixed(3)} | ${(n.p50 / batch).toFixed(2).padStart(46)} | ${(n.p50 / b.p50).toFixed(3)} | ${a.p95.toFixed(1)}`,
    );
    await runner.release();
  }
  await bare.release();
  if (card.streaming) result.graphs.push({ graph: 'streaming', rows: await streaming(cardPath, card, raw, runs, threads, model) });
  await model.release();
  writeResult(options.string('json'), result);
}

/** (2): per window, `hop` new frames through the encoder plus one temporal pass, for `batch` cameras at once. */
async function streaming(
  cardPath: string,
  card: ModelCard,
  raw: RgbImage[],
  runs: number,
  threads: number,
  windowModel: OnnxVideoModel,
): Promise<InferenceRow[]> {
  const rows: InferenceRow[] = [];
  const s = card.streaming!;
  const { frames: t, width: w, height: h } = card.input;
  const hop = card.window.hop;
  const options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all' as const,
    executionMode: 'sequential' as const,
    executionProviders: ['cpu'],
  };
  const { streamingPaths } = loadModelCard(cardPath);
  const bareFrame = await ort.InferenceSession.create(streamingPaths!.frame, options);
  const bareTemporal = await ort.InferenceSession.create(streamingPaths!.temporal, options);
  console.log(`\n(2) streaming: per window ${hop} frame-encoder passes + 1 temporal pass (embedding ${s.frame.embedding})`);
  console.log(
    'batch | bare onnxruntime p50 ms/window | vigil streaming scorers p50 ms/window | ratio | window graph p50 ms/window | streaming / window graph | encoder p50 ms/frame',
  );
  for (const batch of [1, 2, 4, 8]) {
    const per = frameLength(card);
    const frameTensor = new ort.Tensor('float32', new Float32Array(per * batch).fill(0.1), [batch, 3, h, w]);
    const embTensor = new ort.Tensor('float32', new Float32Array(batch * t * s.frame.embedding).fill(0.1), [batch, t, s.frame.embedding]);
    const encodeOnly = () => bareFrame.run({ [s.frame.input]: frameTensor, [s.frame.previous]: frameTensor });
    const bareRun = async () => {
      for (let k = 0; k < hop; k++) await encodeOnly();
      return bareTemporal.run({ [s.temporal.input]: embTensor });
    };
    const runner = await loadVideoModel(cardPath, { mode: 'streaming', intraOpThreads: threads, maxBatch: batch });
    const scorers = Array.from({ length: batch }, () => runner.createScorer());
    const planes = raw.map((f) => normaliseFrame(f, card));
    let clock = 0;
    for (let k = 0; k < t; k++) await Promise.all(scorers.map((sc) => sc.push(planes[k], clock++)));
    const agentRun = async () => {
      for (let k = 0; k < hop; k++) {
        const plane = normaliseFrame(raw[(clock + k) % t], card);
        await Promise.all(scorers.map((sc) => sc.push(plane, clock)));
        clock++;
      }
    };
    const windowInput = new Float32Array(windowLength(card) * batch).fill(0.1);
    const windowRun = () => windowModel.infer(windowInput, batch);
    const [bareMs, agentMs, windowMs, encMs] = await timeInterleaved(runs, [bareRun, agentRun, windowRun, encodeOnly]);
    const [b, a, wg, e] = [stats(bareMs), stats(agentMs), stats(windowMs), stats(encMs)];
    rows.push({ batch, bareP50Ms: b.p50 / batch, agentP50Ms: a.p50 / batch });
    console.log(
      `${String(batch).padStart(5)} | ${(b.p50 / batch).toFixed(2).padStart(30)} | ${(a.p50 / batch).toFixed(2).padStart(37)} | ${(a.p50 / b.p50).toFixed(3)} | ${(wg.p50 / batch).toFixed(2).padStart(26)} | ${(a.p50 / wg.p50).toFixed(3).padStart(24)} | ${(e.p50 / batch).toFixed(2)}`,
    );
    await runner.release();
  }
  await Promise.all([bareFrame.release(), bareTemporal.release()]);
  return rows;
}

void main();
