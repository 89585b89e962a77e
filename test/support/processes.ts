import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const DIST = join(REPO, 'dist');

export interface Running {
  proc: ChildProcess;
  output: () => string;
  waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<string>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

const all = new Set<ChildProcess>();

/** Spawns a process, keeps its combined output, and registers it so `stopAll()` leaves nothing behind. */
export function start(command: string, args: string[], options: SpawnOptions = {}): Running {
  const proc = spawn(command, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], ...options });
  all.add(proc);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    listeners.forEach((l) => l());
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<number | null>((r) =>
    proc.once('exit', (code) => {
      all.delete(proc);
      listeners.forEach((l) => l());
      r(code);
    }),
  );
  return {
    proc,
    output: () => out,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            cleanup();
            resolvePromise(m[0]);
          } else if (proc.exitCode !== null) {
            cleanup();
            reject(new Error(`${command} exited with ${proc.exitCode} before printing ${pattern}:\n${out.slice(-3000)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} from ${command}:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  return start(process.execPath, [join(DIST, script), ...args], { env: { ...process.env, ...env } });
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...all].map(
      (p) =>
        new Promise<void>((r) => {
          if (p.exitCode !== null || p.signalCode !== null) return r();
          p.once('exit', () => r());
          p.kill('SIGKILL');
        }),
    ),
  );
}
