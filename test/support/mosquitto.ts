import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';
import { start, type Running } from './processes';

export interface Mosquitto {
  port: number;
  url: string;
  proc: Running;
  stop: () => Promise<void>;
}

/** A real mosquitto broker on 127.0.0.1 (Debian package), with its own config in a temp dir. */
export async function startMosquitto(port?: number): Promise<Mosquitto> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  // max_queued_messages 0: never drop QoS 1 messages for a slow or offline persistent subscriber
  writeFileSync(conf, [`listener ${p} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 0', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', ''].join('\n'));
  const proc = start('mosquitto', ['-c', conf]);
  await Promise.race([waitForPort(p, 10_000), proc.exited.then((code) => Promise.reject(new Error(`mosquitto exited with ${code}: ${proc.output()}`)))]);
  return {
    port: p,
    url: `mqtt://127.0.0.1:${p}`,
    proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
