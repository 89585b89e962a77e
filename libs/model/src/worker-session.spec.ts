import * as ort from 'onnxruntime-node';
import { loadModelCard } from './model-card';
import { shippedModelCard } from './paths';
import { windowLength } from './preprocess';
import { openSession, type ModelSession } from './session';
import { sharedFloat32, WorkerSession } from './worker-session';

jest.setTimeout(60_000);

const { card, onnxPath } = loadModelCard(shippedModelCard());
const per = windowLength(card);
const { frames, height, width } = card.input;

/** `count` windows of a smooth pattern that differs per window (`seed`). */
function windows(count: number, seed: number, into: Float32Array<ArrayBufferLike> = new Float32Array(per * count)): Float32Array<ArrayBufferLike> {
  for (let i = 0; i < per * count; i++) into[i] = Math.sin(i / 97 + seed) * 1.5;
  return into;
}

async function logits(session: ModelSession, data: Float32Array<ArrayBufferLike>, count: number): Promise<number[]> {
  const out = await session.run({ [card.input.name]: new ort.Tensor('float32', data as Float32Array, [count, frames, 3, height, width]) });
  return Array.from(out[card.output.name].data as Float32Array);
}

/** Event-loop turns (setImmediate) taken while `work` was pending. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work;
  done = true;
  return turns;
}

describe('WorkerSession: a model on a thread of its own', () => {
  let main: ModelSession;
  let worker: WorkerSession;

  beforeAll(async () => {
    main = (await openSession(onnxPath, {})).session;
    worker = (await openSession(onnxPath, { thread: 'worker' })).session as WorkerSession;
  });

  afterAll(async () => {
    await main?.release();
    await worker?.release();
  });

  it('should give the same scores as the session on the calling thread, from plain, shared and partial buffers', async () => {
    expect(worker).toBeInstanceOf(WorkerSession);
    expect(worker.inputNames).toEqual(main.inputNames);
    const plain = windows(2, 1);
    const want = await logits(main, plain, 2);
    expect(await logits(worker, plain, 2)).toEqual(want);
    expect(await logits(worker, windows(2, 1, sharedFloat32(per * 2)), 2)).toEqual(want);
    // a view into a larger, reused buffer: only the view's windows count
    const larger = windows(3, 1);
    expect(await logits(worker, larger.subarray(0, per * 2), 2)).toEqual(want);
    expect(
      await logits(
        worker,
        sharedFloat32(per * 3)
          .fill(0)
          .subarray(per),
        2,
      ),
    ).toEqual(await logits(main, new Float32Array(per * 2), 2));
  });

  it('should copy a plain input when run is called, so the caller may reuse its buffer at once', async () => {
    const buffer = windows(1, 2);
    const first = logits(worker, buffer, 1);
    windows(1, 3, buffer);
    const second = logits(worker, buffer, 1);
    expect(await first).toEqual(await logits(main, windows(1, 2), 1));
    expect(await second).toEqual(await logits(main, windows(1, 3), 1));
  });

  it('should leave the event loop free while it runs (the calling-thread session blocks it)', async () => {
    const batch = windows(8, 4);
    const onWorker = await turnsDuring(logits(worker, batch, 8));
    const onMain = await turnsDuring(logits(main, batch, 8));
    expect(onMain).toBeLessThanOrEqual(3);
    expect(onWorker).toBeGreaterThan(20);
  });

  it("should time a run by the session's own work, not the wait behind other runs on its thread", async () => {
    const feeds = { [card.input.name]: new ort.Tensor('float32', windows(4, 7) as Float32Array, [4, frames, 3, height, width]) };
    const started = performance.now();
    const runs = await Promise.all(
      [0, 1, 2].map(async () => {
        const run = await worker.timed(feeds);
        return { ms: run.ms, wall: performance.now() - started };
      }),
    );
    const [a, b, c] = runs;
    expect(a.ms).toBeGreaterThan(0);
    // the thread runs them one after another: the last one waited for the other two, and that wait is not its time
    expect(c.wall).toBeGreaterThanOrEqual(a.ms + b.ms + c.ms);
  });

  it('should fail the runs of a thread that dies, start a new one and score the next run', async () => {
    const reasons: string[] = [];
    const session = await WorkerSession.create(onnxPath, { intraOpNumThreads: 1 }, (reason) => reasons.push(reason));
    try {
      const lost = logits(session, windows(4, 5), 4);
      await session.kill();
      await expect(lost).rejects.toThrow(/inference thread .* stopped/);
      expect(session.restarts).toBe(1);
      expect(reasons).toEqual([expect.stringMatching(/inference thread for ".*vigil-vit-tiny.onnx" stopped \(exit code 1\)/)]);
      expect(await logits(session, windows(1, 6), 1)).toEqual(await logits(main, windows(1, 6), 1));
    } finally {
      await session.release();
    }
    await expect(logits(session, windows(1, 6), 1)).rejects.toThrow(/was released/);
  });

  it('should say why a model cannot be opened on its thread', async () => {
    await expect(openSession('/nonexistent/model.onnx', { thread: 'worker' })).rejects.toThrow(
      /Cannot load model "\/nonexistent\/model.onnx".*(No such file|doesn't exist|failed)/s,
    );
  });
});
