import { topics } from '@vigil/contracts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { readOrCreateSecret } from '../security/secret-file';

/**
 * Who may use the embedded broker. `agent`: the agent of `site`, which may write only that site's topics (and its
 * Home Assistant discovery entities); `reader`: a console or Home Assistant, which may subscribe to anything and
 * publish only receipts (`<prefix>/<site>/acks`). The agent's user name is its site id, as in the shipped mosquitto ACL (docker/mosquitto.acl).
 */
const UserSchema = z.discriminatedUnion('role', [
  z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(16).max(256), role: z.literal('agent'), site: z.string().min(1).max(64) }),
  z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(16).max(256), role: z.literal('reader') }),
]);
const UsersFileSchema = z.strictObject({ users: z.array(UserSchema).min(1) });
export type BrokerUser = z.output<typeof UserSchema>;

export const CONSOLE_USER = 'console';

function password(): string {
  return randomBytes(24).toString('base64url');
}

/** The users file at `path`, made on first start with the agent's user and a `console` reader. */
export function openBrokerUsers(path: string, site: string): { users: BrokerUser[]; created: boolean } {
  const { text, created } = readOrCreateSecret(
    path,
    () =>
      `${JSON.stringify(
        {
          users: [
            { username: site, password: password(), role: 'agent', site },
            { username: CONSOLE_USER, password: password(), role: 'reader' },
          ],
        },
        null,
        2,
      )}\n`,
    'the MQTT users file',
  );
  let parsed: z.output<typeof UsersFileSchema>;
  try {
    parsed = UsersFileSchema.parse(JSON.parse(text));
  } catch (err) {
    const detail = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ') : (err as Error).message;
    throw new Error(`the MQTT users file ${path} is not valid (${detail}); fix it, or move it away and restart to make a new one`);
  }
  if (!parsed.users.some((u) => u.role === 'agent' && u.site === site)) {
    throw new Error(
      `the MQTT users file ${path} has no agent user for site "${site}"; add {"username": "${site}", "password": "<16+ characters>", "role": "agent", "site": "${site}"}`,
    );
  }
  return { users: parsed.users, created };
}

/** Constant-time password check (both sides hashed first, so lengths do not leak either). */
export function passwordMatches(given: Buffer | string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const h = (v: Buffer | string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(h(given), h(expected));
}

/** Whether `user` may publish to `topic` on a broker whose topics start with `prefix`. */
export function mayPublish(user: BrokerUser, topic: string, prefix: string, discoveryPrefix: string): boolean {
  // a console's receipts, so agents can let go of delivered events
  if (user.role === 'reader') return topics.parse(prefix, topic)?.kind === 'acks';
  if (topic.startsWith(`${prefix}/${user.site}/`)) return true;
  const parts = topic.split('/');
  const d = discoveryPrefix.split('/').length;
  const node = parts[d + 1] ?? '';
  // the site's own device (vigil_<site>) and its cameras (vigil_<site>_<camera>)
  const ours = node === `vigil_${user.site}` || node.startsWith(`vigil_${user.site}_`);
  return topic.startsWith(`${discoveryPrefix}/`) && parts.length === d + 4 && ours && parts[d + 3] === 'config';
}

/**
 * Whether `user` may subscribe to `filter`: readers anything but the broker's own `$SYS`; agents their site, and
 * the Home Assistant discovery configs (to clear those of cameras they no longer have).
 */
export function maySubscribe(user: BrokerUser, filter: string, prefix: string, discoveryPrefix = 'homeassistant'): boolean {
  if (filter.startsWith('$SYS')) return false;
  if (user.role === 'reader') return true;
  if (topics.homeAssistantConfigFilters(discoveryPrefix).includes(filter)) return true;
  return filter.startsWith(`${prefix}/${user.site}/`);
}
