import type { ChildProcess } from 'node:child_process';

/**
 * Stops ffmpeg in three steps: `q` on stdin (lets it send RTSP TEARDOWN and flush), then SIGTERM, then SIGKILL.
 * Resolves once the process has exited.
 */
export async function stopProcess(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  try {
    if (child.stdin && !child.stdin.destroyed) child.stdin.end('q\n');
  } catch {
    // stdin already closed by the exiting process; the signals below still apply
  }
  child.stdio.slice(1).forEach((stream) => stream?.destroy());
  if (await within(graceMs)) return;
  child.kill('SIGTERM');
  if (await within(graceMs)) return;
  child.kill('SIGKILL');
  await exited;
}
