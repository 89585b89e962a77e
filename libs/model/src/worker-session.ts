import * as ort from 'onnxruntime-node';
import { Worker } from 'node:worker_threads';

/** What the models use of an onnxruntime session; `ort.InferenceSession` and `WorkerSession` both are one. */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType>;
  release(): Promise<void>;
}

type TensorData = Float32Array | Int32Array | Uint8Array | Float64Array | BigInt64Array;
interface WireTensor {
  type: ort.Tensor.Type;
  data: TensorData;
  dims: readonly number[];
}
type Reply =
  | {
      kind: 'opened';
      inputNames: string[];
      outputNames: string[];
      inputMetadata: ort.InferenceSession.ValueMetadata[];
      outputMetadata: ort.InferenceSession.ValueMetadata[];
    }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; outputs: Record<string, WireTensor>; ms: number }
  | { kind: 'error'; id: number; message: string };

/**
 * The thread's side: opens one session, then runs whatever it is sent, one run at a time. A string, not a file, so
 * the same code serves the built agent and the TypeScript tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
const wire = (t) => ({ type: t.type, data: t.data, dims: t.dims });
ort.InferenceSession.create(workerData.path, workerData.options).then(
  (session) => {
    const { inputNames, outputNames, inputMetadata, outputMetadata } = session;
    parentPort.postMessage({ kind: 'opened', inputNames, outputNames, inputMetadata, outputMetadata });
    // one run at a time, in order, so a shared input can be copied into the same buffer every time
    const copies = new Map();
    const local = (name, view) => {
      let buf = copies.get(name);
      if (!buf || buf.constructor !== view.constructor || buf.length < view.length) copies.set(name, (buf = new view.constructor(view.length)));
      const copy = buf.subarray(0, view.length);
      copy.set(view);
      return copy;
    };
    let queue = Promise.resolve();
    const handle = async (m) => {
      if (m.kind === 'release') {
        await session.release();
        parentPort.close();
        return;
      }
      try {
        const feeds = {};
        for (const [name, t] of Object.entries(m.feeds)) {
          // onnxruntime takes no shared memory: a shared input is copied here, on this thread
          feeds[name] = new ort.Tensor(t.type, t.data.buffer instanceof SharedArrayBuffer ? local(name, t.data) : t.data, t.dims);
        }
        const started = performance.now();
        const out = await session.run(feeds);
        const ms = performance.now() - started;
        const outputs = {};
        for (const [name, t] of Object.entries(out)) outputs[name] = wire(t);
        parentPort.postMessage({ kind: 'result', id: m.id, outputs, ms }, Object.values(outputs).map((t) => t.data.buffer));
      } catch (err) {
        parentPort.postMessage({ kind: 'error', id: m.id, message: String(err && err.message || err) });
      }
    };
    parentPort.on('message', (m) => {
      queue = queue.then(() => handle(m));
    });
  },
  (err) => parentPort.postMessage({ kind: 'failed', message: String(err && err.message || err) }),
);
`;

/** A run's outputs and how long the session took over it (not counting the wait for the thread). */
export interface TimedRun {
  outputs: ort.InferenceSession.OnnxValueMapType;
  ms: number;
}

interface Pending {
  resolve: (run: TimedRun) => void;
  reject: (err: Error) => void;
}

/**
 * An onnxruntime session on its own thread. onnxruntime-node runs a session on the calling thread, so in the
 * agent's thread every run (tens of ms on a CPU) stalls frame intake, MQTT and HTTP; on a thread of its own the
 * run overlaps them and the other models' runs. An input in shared memory (`sharedFloat32`, `sharedInt32`) is read
 * by the thread, so the caller must leave it alone until the run settles; any other input is copied when `run` is
 * called and the copy handed over. Outputs are handed back. A thread that dies (out of memory, a crash in the
 * runtime) fails the runs it held and is started again for the next one.
 */
export class WorkerSession implements ModelSession {
  private worker!: Worker;
  private ready!: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private released = false;
  /** Threads started again after one died. */
  restarts = 0;
  inputNames: readonly string[] = [];
  outputNames: readonly string[] = [];
  inputMetadata: readonly ort.InferenceSession.ValueMetadata[] = [];
  outputMetadata: readonly ort.InferenceSession.ValueMetadata[] = [];

  private constructor(
    private readonly path: string,
    private readonly options: ort.InferenceSession.SessionOptions,
    private readonly onRestart?: (reason: string) => void,
  ) {}

  /**
   * Opens `path` on a new thread; rejects with onnxruntime's message when it cannot be opened there. `onRestart`
   * hears why a thread was lost each time a new one is started.
   */
  static async create(path: string, options: ort.InferenceSession.SessionOptions, onRestart?: (reason: string) => void): Promise<WorkerSession> {
    const session = new WorkerSession(path, options, onRestart);
    session.start();
    await session.ready;
    return session;
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ort: require.resolve('onnxruntime-node'), path: this.path, options: this.options },
    });
    this.worker = worker;
    let opened = false;
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', (m: Reply) => {
        if (m.kind === 'opened') {
          opened = true;
          Object.assign(this, { inputNames: m.inputNames, outputNames: m.outputNames, inputMetadata: m.inputMetadata, outputMetadata: m.outputMetadata });
          worker.on('message', (r: Reply) => this.settle(r));
          resolve();
        } else {
          void worker.terminate();
          reject(new Error(m.kind === 'failed' ? m.message : `unexpected reply "${m.kind}" from the inference thread`));
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the inference thread for "${this.path}" stopped while opening it (exit code ${code})`)));
    });
    this.ready.catch(() => undefined);
    const lost = (reason: string) => {
      if (!opened || worker !== this.worker) return;
      opened = false;
      for (const p of this.pending.values()) p.reject(new Error(reason));
      this.pending.clear();
      if (this.released) return;
      this.restarts++;
      this.onRestart?.(reason);
      this.start();
    };
    worker.on('error', (err) => lost(`the inference thread for "${this.path}" failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the inference thread for "${this.path}" stopped (exit code ${code})`));
  }

  private settle(r: Reply): void {
    if (r.kind !== 'result' && r.kind !== 'error') return;
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.kind === 'error') p.reject(new Error(r.message));
    else
      p.resolve({
        outputs: Object.fromEntries(Object.entries(r.outputs).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)])),
        ms: r.ms,
      });
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
    return (await this.timed(feeds)).outputs;
  }

  /** `run`, with the time the session spent on it: runs queued for the thread wait without it counting. */
  async timed(feeds: Record<string, ort.Tensor>): Promise<TimedRun> {
    if (this.released) throw new Error(`session "${this.path}" was released`);
    const wireFeeds: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(feeds)) {
      const given = t.data as TensorData;
      if (given.buffer instanceof SharedArrayBuffer) {
        wireFeeds[name] = { type: t.type, data: given, dims: t.dims };
        continue;
      }
      // a copy of just this tensor's bytes, taken now: the caller's buffer (often a view into a larger, reused one) stays its own
      const data = given.slice();
      wireFeeds[name] = { type: t.type, data, dims: t.dims };
      transfer.push(data.buffer as ArrayBuffer);
    }
    const ready = this.ready;
    try {
      await ready;
    } catch (err) {
      if (this.ready === ready) this.start(); // a thread that could not reopen the model is tried again by the next run
      throw err;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'run', id, feeds: wireFeeds }, transfer);
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'release' });
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => void worker.terminate().then(() => resolve()), 5_000);
    });
    await Promise.race([exited, forced]);
    clearTimeout(timer);
  }

  /** Stops the thread as a crash would (tests). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }
}

/** A buffer a WorkerSession's thread reads in place (no copy on the caller's thread). */
export function sharedFloat32(length: number): Float32Array<ArrayBufferLike> {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export function sharedInt32(length: number): Int32Array<ArrayBufferLike> {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}
