import { join } from 'node:path';
import { freePort } from './ports';
import { REPO, start, type Running } from './processes';

export interface RtspServer {
  port: number;
  url: (mount: string) => string;
  proc: Running;
  stop: () => Promise<void>;
}

/** The project's GStreamer RTSP server (scripts/rtsp-server.py) on 127.0.0.1, serving looping files. */
export async function startRtspServer(mounts: Record<string, string>, port?: number, auth?: { user: string; password: string }): Promise<RtspServer> {
  const p = port ?? (await freePort());
  const args = [join(REPO, 'scripts', 'rtsp-server.py'), '--port', String(p), ...Object.entries(mounts).map(([k, v]) => `${k}=${v}`)];
  if (auth) args.push('--user', auth.user, '--password', auth.password);
  const proc = start('/usr/bin/python3', args);
  await proc.waitForLine(/READY .*/, 15_000);
  return {
    port: p,
    url: (mount) => `rtsp://127.0.0.1:${p}/${mount}`,
    proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
