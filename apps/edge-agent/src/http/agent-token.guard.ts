import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AgentToken } from '../security/agent-token';

/**
 * Live video, snapshots, clips, scores and metrics are for the site's consoles and monitoring, not for whoever
 * reaches the port: every route but the health checks needs the agent's bearer token.
 */
@Injectable()
export class AgentTokenGuard implements CanActivate {
  constructor(private readonly token: AgentToken) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.path === '/health' || req.path.startsWith('/health/')) return true;
    if (this.token.accepts(req.headers.authorization)) return true;
    throw new UnauthorizedException('Send "Authorization: Bearer <token>": the agent\'s http.token, or the agent-token file beside its database');
  }
}
