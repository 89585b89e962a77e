import type { ChildProcess } from 'node:child_process';

/**
 * Stops ffmpeg in three steps: `q` on stdin (lets it send RTSP TEARDOWN and flush), then SIGTERM, then SIGKILL.
 * Resolves once the process has exited.
 */
export async function stopProcess(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  if (child.stdin && !child.stdin.destroyed) {
    // a process that is already going away closes its stdin: the write then fails with EPIPE, later and
    // asynchronously; unhandled, that error would take the whole agent down with this one camera
    child.stdin.on('error', () => undefined);
    child.stdin.end('q\n');
  }
  child.stdio.slice(1).forEach((stream) => stream?.destroy());
  if (await within(graceMs)) return;
  child.kill('SIGTERM');
  if (await within(graceMs)) return;
  child.kill('SIGKILL');
  await exited;
}
