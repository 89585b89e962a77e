import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';
import { start, type Running } from './processes';

export interface Mosquitto {
  port: number;
  url: string;
  proc: Running;
  stop: () => Promise<void>;
}

export interface MosquittoOptions {
  port?: number;
  /** Require this user (password file made with mosquitto_passwd); anonymous clients are refused. */
  user?: { name: string; password: string };
  /** More users, for topic rules. */
  users?: Array<{ name: string; password: string }>;
  /** Apply this mosquitto ACL file (e.g. the shipped docker/mosquitto.acl). */
  aclFile?: string;
  /** Serve MQTT over TLS with this server certificate and key (PEM paths). */
  tls?: { cert: string; key: string };
}

/** A real mosquitto broker on 127.0.0.1 (Debian package), with its own config in a temp dir. */
export async function startMosquitto(portOrOptions?: number | MosquittoOptions): Promise<Mosquitto> {
  const options: MosquittoOptions = typeof portOrOptions === 'number' ? { port: portOrOptions } : (portOrOptions ?? {});
  const p = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  // stay the current user: mosquitto started as root would switch to `mosquitto`, who cannot read our temp files
  const lines = [`user ${userInfo().username}`, `listener ${p} 127.0.0.1`];
  const users = [...(options.user ? [options.user] : []), ...(options.users ?? [])];
  if (users.length) {
    const passwords = join(dir, 'passwd');
    users.forEach((u, i) => execFileSync('mosquitto_passwd', ['-b', ...(i === 0 ? ['-c'] : []), passwords, u.name, u.password]));
    lines.push('allow_anonymous false', `password_file ${passwords}`);
    if (options.aclFile) lines.push(`acl_file ${options.aclFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (options.tls) lines.push(`certfile ${options.tls.cert}`, `keyfile ${options.tls.key}`);
  // max_queued_messages 0: never drop QoS 1 messages for a slow or offline persistent subscriber
  lines.push('persistence false', 'max_queued_messages 0', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', '');
  writeFileSync(conf, lines.join('\n'));
  const proc = start('mosquitto', ['-c', conf]);
  await Promise.race([waitForPort(p, 10_000), proc.exited.then((code) => Promise.reject(new Error(`mosquitto exited with ${code}: ${proc.output()}`)))]);
  return {
    port: p,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${p}`,
    proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
