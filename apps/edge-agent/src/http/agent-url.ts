import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';

/** The base URL consoles use to reach this agent's HTTP API (media, live view). */
@Injectable()
export class AgentUrl {
  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  base(): string {
    if (this.config.http.publicUrl) return this.config.http.publicUrl.replace(/\/$/, '');
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null;
    const port = address?.port ?? this.config.http.port;
    const host = ['0.0.0.0', '::'].includes(this.config.http.host) ? hostname() : this.config.http.host;
    return `http://${host}:${port}`;
  }

  eventMedia(eventId: string, file: 'snapshot.jpg' | 'clip.mp4'): string {
    return `${this.base()}/media/events/${eventId}/${file}`;
  }
}
