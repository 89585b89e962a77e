import { spawn } from 'node:child_process';
import { stopProcess } from './stop-process';

describe(stopProcess.name, () => {
  it('should stop a process that closed its stdin without an EPIPE escaping', async () => {
    // the shell closes stdin and ignores SIGTERM's default grace: `q` hits a closed pipe, then the signals apply
    const child = spawn('sh', ['-c', 'exec 0<&-; sleep 30'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise((r) => setTimeout(r, 200));
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      await stopProcess(child, 200);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toEqual([]);
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
  });

  it('should let a process that reads stdin quit on q', async () => {
    const child = spawn('sh', ['-c', 'read line; [ "$line" = q ] && exit 0; exit 3'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await stopProcess(child, 2000);
    expect(child.exitCode).toBe(0);
  });
});
