import { generateKeyPairSync } from 'node:crypto';
import { keyId, parsePublicKey, publicKeyText, signMessage, verifyMessage } from './signature';

describe('event message signatures', () => {
  const site = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const text = publicKeyText(site.publicKey);
  const trusted = new Map([[keyId(text), parsePublicKey(text)]]);
  const body = JSON.stringify({ schema: 'vigil.event/2', type: 'new', seq: 0, note: 'a "quoted" } brace' });

  it('should keep the message readable and verify it with the site key', () => {
    const signed = signMessage(body, site.privateKey, keyId(text));
    expect(JSON.parse(signed)).toMatchObject({ ...JSON.parse(body), signature: { keyId: keyId(text) } });
    expect(verifyMessage(signed, trusted)).toEqual({ ok: true, keyId: keyId(text) });
  });

  it('should refuse unsigned, tampered, foreign-key and re-signed-under-a-trusted-id messages', () => {
    const signed = signMessage(body, site.privateKey, keyId(text));
    expect(verifyMessage(body, trusted)).toEqual({ ok: false, reason: 'the message is not signed' });
    expect(verifyMessage(signed.replace('"seq":0', '"seq":9'), trusted)).toEqual({ ok: false, reason: 'the signature does not match the message' });
    expect(verifyMessage(signMessage(body, other.privateKey, keyId(publicKeyText(other.publicKey))), trusted)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not trusted'),
    });
    expect(verifyMessage(signMessage(body, other.privateKey, keyId(text)), trusted)).toEqual({ ok: false, reason: 'the signature does not match the message' });
    expect(verifyMessage(`${body.slice(0, -1)},"signature":{"keyId":1}}`, trusted)).toEqual({ ok: false, reason: 'the signature is not readable' });
  });

  it('should round-trip public keys and say what a key looks like when one is malformed', () => {
    expect(publicKeyText(parsePublicKey(text))).toBe(text);
    expect(keyId(text)).toMatch(/^[0-9a-f]{12}$/);
    expect(() => parsePublicKey('ssh-ed25519 AAAA')).toThrow(/expected "ed25519:" followed by the 44-character base64 public key/);
  });
});
