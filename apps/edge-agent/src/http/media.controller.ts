import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { CameraManagerService } from '../camera/camera-manager.service';
import { MediaService } from '../media/media.service';
import { EventRepository } from '../storage/event.repository';

const BOUNDARY = 'vigilframe';

/** Pictures and clips: the newest preview and a live MJPEG view per camera, the saved evidence per event. */
/** Bytes a live viewer may have queued before pictures are skipped for it. */
const LIVE_BUFFER_BYTES = 1_000_000;

@Controller()
export class MediaController {
  constructor(
    private readonly cameras: CameraManagerService,
    private readonly media: MediaService,
    private readonly events: EventRepository,
  ) {}

  @Get('cameras')
  list() {
    return this.cameras.health().map((c) => ({ ...c, snapshot: `/cameras/${c.id}/snapshot.jpg`, live: `/cameras/${c.id}/live.mjpeg` }));
  }

  @Get('cameras/:id/snapshot.jpg')
  snapshot(@Param('id') id: string, @Res() res: Response): void {
    const picture = this.media.latest(this.knownCamera(id));
    if (!picture) throw new NotFoundException(`Camera "${id}" has not sent a picture yet`);
    res.set({ 'Content-Type': 'image/jpeg', 'Cache-Control': 'no-store', 'Last-Modified': new Date(picture.at).toUTCString() }).send(picture.data);
  }

  /**
   * Live view as multipart/x-mixed-replace JPEG: an <img> tag plays it in every browser without a codec or a
   * player, and it reuses the preview the agent decodes anyway (no second connection to the camera).
   */
  @Get('cameras/:id/live.mjpeg')
  live(@Param('id') id: string, @Res() res: Response): void {
    const camera = this.knownCamera(id);
    res.writeHead(200, { 'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`, 'Cache-Control': 'no-store', Connection: 'close' });
    const send = (jpeg: Buffer) => {
      // a slow viewer skips pictures instead of growing the agent's memory
      if (res.writableLength > LIVE_BUFFER_BYTES) return;
      res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      res.write(jpeg);
      res.write('\r\n');
    };
    const latest = this.media.latest(camera);
    if (latest) send(latest.data);
    const unsubscribe = this.media.subscribe(camera, send);
    res.on('close', unsubscribe);
  }

  @Get('media/events/:id/snapshot.jpg')
  eventSnapshot(@Param('id') id: string, @Res() res: Response): void {
    this.sendEventFile(id, 'snapshotPath', 'image/jpeg', res);
  }

  @Get('media/events/:id/clip.mp4')
  eventClip(@Param('id') id: string, @Res() res: Response): void {
    this.sendEventFile(id, 'clipPath', 'video/mp4', res);
  }

  private sendEventFile(id: string, field: 'snapshotPath' | 'clipPath', type: string, res: Response): void {
    const relative = this.events.get(id)?.[field];
    const path = relative ? this.media.repository.absolute(relative) : undefined;
    if (!path || !existsSync(path))
      throw new NotFoundException(`No ${field === 'clipPath' ? 'clip' : 'snapshot'} for event "${id}" (not written yet, or removed by retention)`);
    res.type(type).sendFile(path, { maxAge: '1d', immutable: true });
  }

  private knownCamera(id: string): string {
    if (!this.cameras.health().some((c) => c.id === id)) throw new NotFoundException(`No enabled camera "${id}"`);
    return id;
  }
}
