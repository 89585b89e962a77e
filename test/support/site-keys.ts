import { keyId, publicKeyText, signMessage } from '@vigil/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestSiteKey {
  /** The private key file, for the agent's mqtt.signingKey. */
  path: string;
  /** For the console's mqtt.siteKeys. */
  publicKey: string;
  /** Signs an event message as that site's agent would. */
  sign(json: string): string;
}

/** A site's ed25519 key, written as the agent keeps it (PEM, mode 0600). */
export function makeSiteKey(dir: string, site: string): TestSiteKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const path = join(dir, `${site}-key.pem`);
  writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const text = publicKeyText(publicKey);
  return { path, publicKey: text, sign: (json) => signMessage(json, privateKey, keyId(text)) };
}

/** The console's mqtt.siteKeys for these sites, as a YAML flow mapping. */
export function siteKeysYaml(keys: Record<string, TestSiteKey>): string {
  return `{ ${Object.entries(keys)
    .map(([site, k]) => `${site}: ["${k.publicKey}"]`)
    .join(', ')} }`;
}
