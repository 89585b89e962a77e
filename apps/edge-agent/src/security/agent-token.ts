import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readOrCreateSecret } from './secret-file';

/** The bearer token every agent HTTP route but /health wants: from http.token, or made once beside the database. */
export class AgentToken {
  private readonly digest: Buffer;

  private constructor(
    readonly value: string,
    /** Where it was made now, to tell the operator once; undefined when configured or made earlier. */
    readonly createdAt?: string,
  ) {
    this.digest = createHash('sha256').update(value).digest();
  }

  static open(configured: string | undefined, path: string): AgentToken {
    if (configured) return new AgentToken(configured);
    const { text, created } = readOrCreateSecret(path, () => `${randomBytes(32).toString('base64url')}\n`, 'the agent token');
    return new AgentToken(text.trim(), created ? path : undefined);
  }

  /** Constant-time check of an `Authorization` header. */
  accepts(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return match !== null && timingSafeEqual(createHash('sha256').update(match[1]).digest(), this.digest);
  }
}
