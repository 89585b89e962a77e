import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type ConsoleConfig } from '../config/console-config.schema';
import { CONSOLE_CONFIG } from '../config/console-config.token';
import { AuthService, SESSION_COOKIE } from './auth.service';
import { hasRole, PUBLIC_KEY, ROLE_KEY, type Role, type SessionUser } from './roles';

export type AuthedRequest = Request & { user?: SessionUser };

/**
 * Reads the session cookie of a request (no cookie-parser needed for one cookie). A header nobody's browser would
 * send (a bad %-escape, no `=`) reads as no session, never as a server error.
 */
export function sessionToken(req: Pick<Request, 'headers'>): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request may come from where the browser says it comes from. Browsers send
 * Sec-Fetch-Site and Origin on every POST: only the console's own origin passes (a page on another port of the same
 * host is `same-site`, not `same-origin`). Clients that send neither (curl, scripts) are not browsers and cannot be
 * tricked into sending the operator's cookie, so they pass.
 */
export function crossOriginProblem(req: Pick<Request, 'method' | 'headers'>, allowed: readonly string[]): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const origin = req.headers.origin;
  const own = req.headers.host ? [`http://${req.headers.host}`, `https://${req.headers.host}`] : [];
  if (origin !== undefined) {
    return origin === 'null' || (!own.includes(origin) && !allowed.includes(origin)) ? `requests from ${origin} may not change anything here` : undefined;
  }
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none' ? `${site} requests may not change anything here` : undefined;
}

/** Every API route needs a signed-in user with at least the route's role, unless it is marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const crossOrigin = crossOriginProblem(req, this.config.http.allowedOrigins);
    if (crossOrigin) throw new ForbiddenException(`${crossOrigin}; open the console at its own address (or list the origin in http.allowedOrigins)`);
    req.user = this.auth.userFor(sessionToken(req));
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!req.user) throw new UnauthorizedException(this.auth.needsSetup ? 'The console is not set up yet; create the first admin' : 'Sign in first');
    const needed = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'viewer';
    if (!hasRole(req.user.role, needed)) throw new ForbiddenException(`This needs the ${needed} role; you are signed in as ${req.user.role}`);
    return true;
  }
}
