import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Event messages are signed by their site's agent (ed25519), so a broker account that leaks, or a broker that lets
 * anyone publish, cannot make a console show a forged alarm or end a real one. The signature covers the exact
 * bytes of the message as the agent wrote them and is appended as the last member of the JSON object:
 *
 *   {"schema":"vigil.event/2",...,"signature":{"keyId":"3f9c0a1b2c4d","value":"<base64>"}}
 *
 * so a consumer that does not verify still reads a valid message (the member is ignored by its schema).
 */
const MEMBER = ',"signature":';

/** A site's public key as configured on the console: `ed25519:` + the 32 raw key bytes in base64. */
export type SitePublicKey = `ed25519:${string}`;

export function publicKeyText(key: KeyObject): SitePublicKey {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('a site key must be an ed25519 key');
  return `ed25519:${Buffer.from(jwk.x, 'base64url').toString('base64')}`;
}

/** Parses `ed25519:<base64>`; throws with the expected form on anything else. */
export function parsePublicKey(text: string): KeyObject {
  const match = /^ed25519:([A-Za-z0-9+/]{43}=)$/.exec(text.trim());
  if (!match) throw new Error('expected "ed25519:" followed by the 44-character base64 public key the agent logs at start');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(match[1], 'base64').toString('base64url') }, format: 'jwk' });
}

/** A short, stable name of a public key: the first 12 hex digits of the SHA-256 of its raw bytes. */
export function keyId(key: KeyObject | string): string {
  const text = typeof key === 'string' ? key.trim() : publicKeyText(key);
  return createHash('sha256')
    .update(Buffer.from(text.slice('ed25519:'.length), 'base64'))
    .digest('hex')
    .slice(0, 12);
}

/** Appends the signature of `json` (a serialised JSON object) made with `privateKey`. */
export function signMessage(json: string, privateKey: KeyObject, id: string): string {
  if (!json.endsWith('}')) throw new Error('only a JSON object can be signed');
  const value = sign(null, Buffer.from(json, 'utf8'), privateKey).toString('base64');
  return `${json.slice(0, -1)}${MEMBER}${JSON.stringify({ keyId: id, value })}}`;
}

export type Verification = { ok: true; keyId: string } | { ok: false; reason: string };

/** Checks the signature appended by `signMessage` against the keys trusted for the message's site. */
export function verifyMessage(raw: string, trusted: ReadonlyMap<string, KeyObject>): Verification {
  const at = raw.lastIndexOf(MEMBER);
  if (at < 0) return { ok: false, reason: 'the message is not signed' };
  let signature: unknown;
  try {
    signature = JSON.parse(raw.slice(at + MEMBER.length, -1));
  } catch {
    return { ok: false, reason: 'the signature is not readable' };
  }
  const { keyId: id, value } = (signature ?? {}) as { keyId?: unknown; value?: unknown };
  if (typeof id !== 'string' || typeof value !== 'string') return { ok: false, reason: 'the signature is not readable' };
  const key = trusted.get(id);
  if (!key) return { ok: false, reason: `signed with key ${id.slice(0, 12)}, which is not trusted for this site` };
  const body = `${raw.slice(0, at)}}`;
  return verify(null, Buffer.from(body, 'utf8'), key, Buffer.from(value, 'base64'))
    ? { ok: true, keyId: id }
    : { ok: false, reason: 'the signature does not match the message' };
}
