import { keyId, publicKeyText, signMessage, type SitePublicKey } from '@vigil/contracts';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readOrCreateSecret } from './secret-file';

/** The site's ed25519 key: signs every event message so consoles can tell this agent's alarms from forgeries. */
export class SiteKey {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: SitePublicKey,
    readonly id: string,
    readonly created: boolean,
  ) {}

  /** Loads the key from `path` (PEM, PKCS#8), making it on first start. */
  static open(path: string): SiteKey {
    const { text, created } = readOrCreateSecret(
      path,
      () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      'the site key',
    );
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(text);
    } catch (err) {
      throw new Error(
        `the site key ${path} is not a PEM private key (${(err as Error).message}); move it away and restart to make a new one, then give consoles the new public key`,
      );
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the site key ${path} is a ${privateKey.asymmetricKeyType} key; it must be ed25519`);
    const publicKey = publicKeyText(createPublicKey(privateKey));
    return new SiteKey(privateKey, publicKey, keyId(publicKey), created);
  }

  sign(json: string): string {
    return signMessage(json, this.privateKey, this.id);
  }
}
