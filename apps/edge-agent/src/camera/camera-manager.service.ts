import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { EventService } from '../events/event.service';
import { ModelRepository } from '../inference/model.repository';
import { CameraPipeline, type CameraHealth } from './camera-pipeline';

/** Runs one pipeline per enabled camera; a failing camera never stops the others. */
@Injectable()
export class CameraManagerService {
  private readonly logger = new Logger('Camera');
  private readonly abort = new AbortController();
  private pipelines: CameraPipeline[] = [];
  private running: Promise<void>[] = [];

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly model: ModelRepository,
    private readonly events: EventService,
  ) {}

  start(): void {
    const deps = {
      card: this.model.card,
      score: (w: Float32Array) => this.model.score(w),
      observe: this.events.observe.bind(this.events),
      logger: this.logger,
    };
    this.pipelines = this.config.cameras.filter((c) => c.enabled).map((c) => new CameraPipeline(c, this.config.ingest, deps));
    this.running = this.pipelines.map((p) =>
      p.run(this.abort.signal).catch((err) => this.logger.error(`camera "${p.camera.id}" pipeline stopped: ${(err as Error).stack}`)),
    );
    this.logger.log(`started ${this.pipelines.length} camera pipeline(s)`);
  }

  health(): CameraHealth[] {
    return this.pipelines.map((p) => p.health());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.running);
  }
}
