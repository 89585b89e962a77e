import { keyId, parsePublicKey, verifyMessage, type Verification } from '@vigil/contracts';
import type { KeyObject } from 'node:crypto';

/** Tells a site's signed event messages from forgeries, with the keys the console's config trusts per site. */
export class MessageVerifier {
  private readonly keys = new Map<string, Map<string, KeyObject>>();

  constructor(
    siteKeys: Record<string, string[]>,
    readonly required: boolean,
  ) {
    for (const [site, texts] of Object.entries(siteKeys)) this.keys.set(site, new Map(texts.map((t) => [keyId(t), parsePublicKey(t)])));
  }

  verify(site: string, raw: string): Verification {
    if (!this.required) return { ok: true, keyId: '' };
    const trusted = this.keys.get(site);
    if (!trusted) return { ok: false, reason: `no key is trusted for site "${site}"; add mqtt.siteKeys.${site} with the key its agent logs at start` };
    return verifyMessage(raw, trusted);
  }
}
