import { Clock } from '@vigil/config';
import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
  ConflictException,
} from '@nestjs/common';
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { filter, interval, map, merge, Subject, take, type Observable } from 'rxjs';
import { AuditRepository } from '../audit/audit.repository';
import { type ConsoleConfig } from '../config/console-config.schema';
import { CONSOLE_CONFIG } from '../config/console-config.token';
import { LoginLimiter } from './login-limiter';
import { hashPassword, needsRehash, verifyPassword } from './password';
import type { Role, SessionUser } from './roles';
import { UsersRepository } from './users.repository';

export const SESSION_COOKIE = 'vigil_session';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** How often an open live stream checks that its session has not expired. */
const SESSION_CHECK_MS = 10_000;

/** Letters and digits no one misreads (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time code of 10 characters (about 49 bits), grouped for reading aloud: XXXXX-XXXXX. */
export function newSetupCode(): string {
  const chars = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** A warning when session cookies would cross a network in clear: served beyond loopback without `Secure`. */
export function insecureCookieWarning(config: Pick<ConsoleConfig, 'http' | 'auth'>): string | undefined {
  if (config.auth.secureCookies || ['127.0.0.1', 'localhost', '::1'].includes(config.http.host)) return undefined;
  return `the console listens on ${config.http.host} but its session cookie is not marked Secure: serve it over HTTPS (a reverse proxy) and set auth.secureCookies: true, or anyone on the network path can take over a session`;
}

/** Local accounts: first-run admin set-up, sign-in with rate limiting, sessions, user management. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Console');
  private readonly limiter = new LoginLimiter();
  /** Until the first admin exists, creating one needs this code from the console's log, not just a web page. */
  private setupCode?: string;
  private readonly signedOut = new Subject<string>();
  // a stand-in hash so an unknown user name costs the same time as a wrong password
  private readonly dummyHash = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly clock: Clock,
  ) {}

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }

  get needsSetup(): boolean {
    return this.users.count() === 0;
  }

  /** At start: the insecure-cookie warning, and a setup code while there is no administrator. */
  announce(): void {
    const warning = insecureCookieWarning(this.config);
    if (warning) this.logger.warn(warning);
    if (!this.needsSetup) return;
    this.setupCode = newSetupCode();
    this.logger.warn(`no administrator yet: open the console and create one with setup code ${this.setupCode} (a new code at every start until then)`);
  }

  async setup(username: string, password: string, code: string): Promise<{ user: SessionUser; token: string }> {
    if (!this.needsSetup) throw new ConflictException('The console is already set up; sign in instead');
    const expected = this.setupCode ?? newSetupCode();
    const given = code.trim().toUpperCase();
    const h = (v: string) => createHash('sha256').update(v).digest();
    if (!timingSafeEqual(h(given), h(expected))) {
      this.audit.add({ at: this.isoNow(), username, action: 'setup-refused', target: null, detail: 'wrong setup code' });
      throw new ForbiddenException('Wrong setup code; it is in the console\'s log ("create one with setup code ...")');
    }
    const user = this.users.createFirstAdmin(username, await hashPassword(password), this.isoNow());
    if (!user) throw new ConflictException('The console is already set up; sign in instead');
    this.setupCode = undefined;
    this.audit.add({ at: this.isoNow(), username, action: 'setup', target: null, detail: 'first admin created' });
    return { user, token: this.startSession(user) };
  }

  async login(username: string, password: string, client: string): Promise<{ user: SessionUser; token: string }> {
    const key = `${client}|${username.toLowerCase()}`;
    const now = this.clock.now();
    const wait = this.limiter.retryAfterMs(key, now);
    if (wait > 0) {
      throw new HttpException(
        { message: `Too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, retryAfterSeconds: Math.ceil(wait / 1000) },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const row = this.users.byName(username);
    const ok = await verifyPassword(password, row?.passwordHash ?? (await this.dummyHash));
    if (!row || !ok) {
      this.limiter.fail(key, now);
      this.audit.add({ at: new Date(now).toISOString(), username, action: 'login-failed', target: null, detail: `from ${client}` });
      throw new UnauthorizedException('Wrong user name or password');
    }
    this.limiter.succeed(key);
    // hashes from before the cost was raised are upgraded while the password is at hand
    if (needsRehash(row.passwordHash)) this.users.setPasswordHash(row.id, await hashPassword(password));
    const user: SessionUser = { id: row.id, username: row.username, role: row.role };
    this.audit.add({ at: new Date(now).toISOString(), username: user.username, action: 'login', target: null, detail: `from ${client}` });
    return { user, token: this.startSession(user) };
  }

  logout(token: string | undefined): void {
    if (!token) return;
    this.users.deleteSession(tokenHash(token));
    this.signedOut.next(tokenHash(token));
  }

  /** Emits once when the session of `token` ends: signed out now, or found expired (checked every 10 s). */
  sessionEnds(token: string | undefined, checkMs = SESSION_CHECK_MS): Observable<void> {
    const hash = token ? tokenHash(token) : '';
    return merge(
      // '*': sessions were revoked in bulk (a user removed): every stream checks its own at once
      this.signedOut.pipe(filter((h) => h === hash || (h === '*' && !this.userFor(token)))),
      interval(checkMs).pipe(filter(() => !this.userFor(token))),
    ).pipe(
      take(1),
      map(() => undefined),
    );
  }

  userFor(token: string | undefined): SessionUser | undefined {
    return token ? this.users.session(tokenHash(token), this.isoNow()) : undefined;
  }

  async createUser(by: SessionUser, username: string, role: Role, password: string): Promise<SessionUser> {
    if (by.role !== 'admin') throw new ForbiddenException('Only an admin can add users');
    if (this.users.byName(username)) throw new ConflictException(`A user named "${username}" already exists`);
    const user = this.users.create(username, role, await hashPassword(password), this.isoNow());
    this.audit.add({ at: this.isoNow(), username: by.username, action: 'user-created', target: username, detail: role });
    return user;
  }

  /** Removes a user (admin); their sessions end and their live streams close. The last admin stays. */
  removeUser(by: SessionUser, username: string): void {
    if (by.role !== 'admin') throw new ForbiddenException('Only an admin can remove users');
    const user = this.users.byName(username);
    if (!user) throw new NotFoundException(`No user named "${username}"`);
    if (user.role === 'admin' && this.users.admins() <= 1) throw new ConflictException('This is the last admin; add another admin before removing this one');
    this.users.remove(username);
    this.signedOut.next('*');
    this.audit.add({ at: this.isoNow(), username: by.username, action: 'user-removed', target: username, detail: null });
  }

  /** Signs a user out everywhere (admin, or the user themself). */
  revokeSessions(by: SessionUser, username: string): number {
    if (by.role !== 'admin' && by.username !== username) throw new ForbiddenException("Only an admin can end another user's sessions");
    if (!this.users.byName(username)) throw new NotFoundException(`No user named "${username}"`);
    const n = this.users.revokeSessions(username);
    this.signedOut.next('*');
    this.audit.add({ at: this.isoNow(), username: by.username, action: 'sessions-revoked', target: username, detail: `${n} sessions` });
    return n;
  }

  listUsers(): SessionUser[] {
    return this.users.list();
  }

  get secureCookies(): boolean {
    return this.config.auth.secureCookies;
  }

  get sessionMaxAgeMs(): number {
    return this.config.auth.sessionHours * 3600_000;
  }

  private startSession(user: SessionUser): string {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    this.users.deleteExpiredSessions(new Date(now).toISOString());
    this.users.createSession(tokenHash(token), user.id, new Date(now + this.sessionMaxAgeMs).toISOString(), new Date(now).toISOString());
    return token;
  }
}
