import { Inject, Injectable, Logger } from '@nestjs/common';
import { JpegRing, writeClip, type TimedJpeg } from '@vigil/streams';
import { EventEmitter } from 'node:events';
import { Clock } from '@vigil/config';
import { Semaphore } from '../common/semaphore';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { MediaRepository } from './media.repository';
import { withFields } from '../common/log-fields';

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * Per camera, the newest preview pictures (bounded ring) and the listeners of its live view; per event, the
 * snapshot and the pre/post clip written from that ring.
 */
@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);
  private readonly rings = new Map<string, JpegRing>();
  private readonly live = new EventEmitter();
  /** Clips waiting for their post-roll, with the work that writes each: run at once by close(). */
  private readonly pendingClips = new Map<NodeJS.Timeout, () => Promise<void>>();
  private readonly pruner: NodeJS.Timeout;
  private readonly firstPrune: NodeJS.Timeout;
  private pruning?: Promise<void>;
  /** Clip encodings at once (media.clipEncoders); the rest wait, so an event storm cannot starve the cameras. */
  private readonly encoders: Semaphore;
  readonly repository: MediaRepository;

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly clock: Clock,
  ) {
    this.repository = new MediaRepository(config.media.dir);
    this.encoders = new Semaphore(config.media.clipEncoders);
    this.live.setMaxListeners(0);
    this.pruner = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
    // a restart after a long stop may find old or too many files: apply the retention now, not in 10 minutes
    this.firstPrune = setTimeout(() => void this.prune(), 5000).unref();
  }

  private ring(cameraId: string): JpegRing {
    let ring = this.rings.get(cameraId);
    if (!ring) {
      const { clipPreSeconds, clipPostSeconds } = this.config.media;
      // long enough for a clip's pre and post roll plus a margin; bytes capped whatever the camera sends
      ring = new JpegRing((clipPreSeconds + clipPostSeconds + 10) * 1000, 32 * 1024 * 1024);
      this.rings.set(cameraId, ring);
    }
    return ring;
  }

  onPicture(cameraId: string, jpeg: Buffer, at: number): void {
    this.ring(cameraId).push({ at, data: jpeg });
    this.live.emit(cameraId, jpeg);
  }

  latest(cameraId: string): TimedJpeg | undefined {
    return this.rings.get(cameraId)?.latest;
  }

  /** Live preview pictures of one camera; returns the unsubscribe function. */
  subscribe(cameraId: string, listener: (jpeg: Buffer) => void): () => void {
    this.live.on(cameraId, listener);
    return () => this.live.off(cameraId, listener);
  }

  /** Saves the preview picture closest to `at`; returns its relative path and bytes, or undefined without one. */
  saveSnapshot(cameraId: string, eventId: string, startedAt: string, at: number): { path: string; jpeg: Buffer } | undefined {
    const picture = this.rings.get(cameraId)?.nearest(at);
    if (!picture) return undefined;
    const path = this.repository.relativePath(cameraId, eventId, startedAt, 'jpg');
    try {
      this.repository.writeFile(path, picture.data);
      return { path, jpeg: picture.data };
    } catch (err) {
      this.logger.error(
        withFields({ camera: cameraId, event: eventId }, `Cannot save the snapshot of event ${eventId} (camera "${cameraId}"): ${(err as Error).message}`),
      );
      return undefined;
    }
  }

  /** After the post-roll, writes the clip around `at` and reports its relative path (never throws). */
  scheduleClip(cameraId: string, eventId: string, startedAt: string, at: number, onReady: (path: string) => void): void {
    const { clipPreSeconds, clipPostSeconds } = this.config.media;
    const delay = Math.max(0, at + clipPostSeconds * 1000 - this.clock.now());
    const write = async () => {
      const pictures = this.rings.get(cameraId)?.between(at - clipPreSeconds * 1000, at + clipPostSeconds * 1000) ?? [];
      if (pictures.length < 2) {
        this.logger.warn(
          withFields(
            { camera: cameraId, event: eventId },
            `no clip for event ${eventId}: camera "${cameraId}" sent ${pictures.length} preview pictures around it`,
          ),
        );
        return;
      }
      if (this.encoders.waiting >= this.config.media.clipQueue) {
        // an event storm beyond what the encoder keeps up with: skip rather than hold pictures without bound
        this.clipsSkipped++;
        this.logger.warn(
          withFields(
            { camera: cameraId, event: eventId },
            `clip of event ${eventId} skipped: ${this.encoders.waiting} clips already wait for the encoder (media.clipQueue); its snapshot is kept`,
          ),
        );
        return;
      }
      const path = this.repository.relativePath(cameraId, eventId, startedAt, 'mp4');
      try {
        await this.encoders.run(() => writeClip(pictures, this.repository.absolute(path), this.config.preview.fps));
        onReady(path);
      } catch (err) {
        this.logger.error(
          withFields({ camera: cameraId, event: eventId }, `Cannot write the clip of event ${eventId} (camera "${cameraId}"): ${(err as Error).message}`),
        );
      }
    };
    const timer = setTimeout(() => {
      this.pendingClips.delete(timer);
      void write();
    }, delay);
    this.pendingClips.set(timer, write);
  }

  /** Clips not written because the encoder queue was full. */
  clipsSkipped = 0;

  /** Clips waiting for an encoder. */
  get clipsWaiting(): number {
    return this.encoders.waiting;
  }

  /** Applies media.retentionDays and media.maxMegabytes; a run still going when the next is due is not doubled. */
  prune(): Promise<void> {
    this.pruning ??= this.pruneOnce().finally(() => (this.pruning = undefined));
    return this.pruning;
  }

  private async pruneOnce(): Promise<void> {
    const { retentionDays, maxMegabytes } = this.config.media;
    try {
      const r = await this.repository.prune(retentionDays * 86_400_000, maxMegabytes * 1_000_000, this.clock.now());
      if (r.deleted)
        this.logger.log(`media retention: deleted ${r.deleted} files (${(r.freedBytes / 1e6).toFixed(1)} MB), ${(r.keptBytes / 1e6).toFixed(1)} MB kept`);
    } catch (err) {
      this.logger.error(`media retention failed in ${this.config.media.dir}: ${(err as Error).message}`);
    }
  }

  /**
   * At shutdown, after the cameras stopped: clips still in their post-roll are written now from the pictures
   * there are (for at most `flushMs`), so an event that started just before the stop keeps its clip.
   */
  async close(flushMs: number): Promise<void> {
    clearInterval(this.pruner);
    clearTimeout(this.firstPrune);
    const writes = [...this.pendingClips].map(([timer, write]) => {
      clearTimeout(timer);
      return write();
    });
    this.pendingClips.clear();
    if (writes.length) this.logger.log(`writing ${writes.length} clips still in their post-roll before stopping`);
    await Promise.race([Promise.allSettled(writes), new Promise((r) => setTimeout(r, flushMs).unref())]);
  }
}
