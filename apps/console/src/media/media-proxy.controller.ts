import { BadGatewayException, Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { CamerasRepository } from '../cameras/cameras.repository';
import { type ConsoleConfig } from '../config/console-config.schema';
import { CONSOLE_CONFIG } from '../config/console-config.token';
import { ApiCall } from '../http/api-docs';
import { EventStoreRepository } from '../storage/event-store.repository';

/** Headers of the agent's answer worth passing on (type, size, ranges for video seeking, caching). */
const PASSED = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'cache-control', 'last-modified'];
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Snapshots, clips and live views, fetched from the site's agent with the agent's token (config `agents`), so an
 * operator's browser talks only to the console and agents need not be reachable from operators' networks. Paths
 * are built from ids the console knows, never from URLs in messages.
 */
@ApiTags('media')
@Controller('api/media')
export class MediaProxyController {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly events: EventStoreRepository,
    private readonly cameras: CamerasRepository,
  ) {}

  @ApiCall("An event's snapshot (JPEG), from its site's agent")
  @Get('events/:id/snapshot.jpg')
  async eventSnapshot(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.relay(this.eventSite(id, 'snapshot'), `/media/events/${encodeURIComponent(id)}/snapshot.jpg`, req, res);
  }

  @ApiCall("An event's clip (MP4, seekable), from its site's agent")
  @Get('events/:id/clip.mp4')
  async eventClip(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.relay(this.eventSite(id, 'clip'), `/media/events/${encodeURIComponent(id)}/clip.mp4`, req, res);
  }

  @ApiCall("A camera's newest picture (JPEG)")
  @Get('cameras/:site/:camera/snapshot.jpg')
  async cameraSnapshot(@Param('site') site: string, @Param('camera') camera: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.relay(this.cameraSite(site, camera), `/cameras/${encodeURIComponent(camera)}/snapshot.jpg`, req, res);
  }

  @ApiCall("A camera's live view (multipart JPEG, plays in an <img>)")
  @Get('cameras/:site/:camera/live.mjpeg')
  async cameraLive(@Param('site') site: string, @Param('camera') camera: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.relay(this.cameraSite(site, camera), `/cameras/${encodeURIComponent(camera)}/live.mjpeg`, req, res);
  }

  private eventSite(id: string, what: 'snapshot' | 'clip'): string {
    const event = this.events.get(id);
    if (!event?.media[what]) throw new NotFoundException(`No ${what} for event "${id}"`);
    return event.site;
  }

  private cameraSite(site: string, camera: string): string {
    if (!this.cameras.get(site, camera)) throw new NotFoundException(`No camera "${camera}" at site "${site}"`);
    return site;
  }

  private async relay(site: string, path: string, req: Request, res: Response): Promise<void> {
    const agent = this.config.agents[site];
    if (!agent) throw new NotFoundException(`The console does not know where the agent of site "${site}" is: add agents.${site}: { url, token } to its config`);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const timer = setTimeout(() => abort.abort(), CONNECT_TIMEOUT_MS);
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(`${agent.url.replace(/\/+$/, '')}${path}`, {
        headers: { authorization: `Bearer ${agent.token}`, ...(req.headers.range ? { range: req.headers.range } : {}) },
        signal: abort.signal,
        redirect: 'error',
      });
    } catch (err) {
      throw new BadGatewayException(`The agent of site "${site}" did not answer (${(err as Error).message}); check agents.${site}.url`);
    } finally {
      clearTimeout(timer);
    }
    if (upstream.status === 401) throw new BadGatewayException(`The agent of site "${site}" refused the console's token; check agents.${site}.token`);
    res.status(upstream.status);
    for (const name of PASSED) {
      const value = upstream.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    if (!upstream.body) {
      res.end();
      return;
    }
    Readable.fromWeb(upstream.body as ReadableStream<Uint8Array>)
      .on('error', () => res.destroy())
      .pipe(res);
  }
}
