import * as ort from 'onnxruntime-node';
import { WorkerSession, type ModelSession, type TimedRun } from './worker-session';

export type { ModelSession } from './worker-session';

export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

export interface ModelRuntimeOptions {
  /** Threads one inference may use. Keep it low when ffmpeg and several cameras share a small box. */
  intraOpThreads?: number;
  /** Tried in order; `cpu` is always appended as the last resort. */
  executionProviders?: ExecutionProvider[];
  /**
   * `worker`: the session runs on a thread of its own (WorkerSession), so its runs overlap the caller's work and
   * other sessions' runs; `main` (default): on the calling thread, as onnxruntime-node does.
   */
  thread?: 'main' | 'worker';
  /** With `thread: worker`: called with the reason each time a lost thread is started again. */
  onThreadRestart?: (reason: string) => void;
}

export interface OpenedSession {
  session: ModelSession;
  /** The providers the session runs with, in order. */
  providers: string[];
  /** Providers asked for but not available here, with the reason. */
  fallbacks: string[];
}

/**
 * Opens a session with the first of `executionProviders` (then CPU) that this machine can run: a provider whose
 * library or device is missing is skipped, and why is kept in `fallbacks`. `check` runs on each candidate session;
 * a contract error it throws is final (another provider would not fix the graph).
 */
export async function openSession(path: string, options: ModelRuntimeOptions, check: (s: ModelSession) => void = () => undefined): Promise<OpenedSession> {
  const wanted = [...new Set([...(options.executionProviders ?? []), 'cpu'])];
  const fallbacks: string[] = [];
  for (let i = 0; i < wanted.length; i++) {
    const providers = wanted.slice(i);
    let session: ModelSession | undefined;
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: providers,
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    };
    try {
      session =
        options.thread === 'worker'
          ? await WorkerSession.create(path, sessionOptions, options.onThreadRestart)
          : await ort.InferenceSession.create(path, sessionOptions);
    } catch (err) {
      const message = (err as Error).message;
      if (providers.length === 1) throw new Error(`Cannot load model "${path}" with providers ${providers.join(', ')}: ${message}`);
      fallbacks.push(`${providers[0]}: ${message.split('\n')[0]}`);
      continue;
    }
    try {
      check(session);
    } catch (err) {
      await session.release();
      throw err;
    }
    return { session, providers, fallbacks };
  }
  throw new Error(`Cannot load model "${path}": no execution provider given`);
}

/** Names the mismatch between a graph's input or output and what its card says. */
export function tensorShape(session: ModelSession, name: string, kind: 'input' | 'output', where: string): readonly (number | string)[] | undefined {
  const list = kind === 'input' ? session.inputMetadata : session.outputMetadata;
  const meta = list.find((m) => m.name === name);
  if (!meta) {
    const names = kind === 'input' ? session.inputNames : session.outputNames;
    throw new Error(`${where}: no ${kind} named "${name}" (${kind}s: ${names.join(', ')})`);
  }
  return meta.isTensor ? meta.shape : undefined;
}

/** The session runs on a thread of its own and reads inputs in shared memory in place (`sharedFloat32`, `sharedInt32`). */
export function readsInPlace(session: ModelSession): boolean {
  return session instanceof WorkerSession;
}

/** One run and its duration: the session's own time on a thread of its own, else the wall time of the call. */
export async function timedRun(session: ModelSession, feeds: Record<string, ort.Tensor>): Promise<TimedRun> {
  if (session instanceof WorkerSession) return session.timed(feeds);
  const started = performance.now();
  const outputs = await session.run(feeds);
  return { outputs, ms: performance.now() - started };
}
