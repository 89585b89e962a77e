import { Inject, Injectable, Logger } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { AVAILABILITY, topics, type CameraState } from '@vigil/contracts';
import { redactUrl, type StreamStatus } from '@vigil/streams';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { EventService } from '../events/event.service';
import { AgentUrl } from '../http/agent-url';
import { ModelRepository } from '../inference/model.repository';
import { MediaService } from '../media/media.service';
import { MqttRepository } from '../mqtt/mqtt.repository';
import { CameraPipeline, type CameraHealth } from './camera-pipeline';
import { withFields } from '../common/log-fields';

const STATE_REFRESH_MS = 10_000;

/** Runs one pipeline per enabled camera; a failing camera never stops the others. */
@Injectable()
export class CameraManagerService {
  private readonly logger = new Logger('Camera');
  private readonly abort = new AbortController();
  private pipelines: CameraPipeline[] = [];
  private running: Promise<void>[] = [];
  private refresher?: NodeJS.Timeout;

  constructor(
    @Inject(SITE_CONFIG) private readonly config: SiteConfig,
    private readonly model: ModelRepository,
    private readonly events: EventService,
    private readonly media: MediaService,
    private readonly mqtt: MqttRepository,
    private readonly urls: AgentUrl,
  ) {}

  start(): void {
    // one abort listener per camera pipeline; a site with many cameras is expected, not a leak
    setMaxListeners(0, this.abort.signal);
    const deps = {
      card: this.model.card,
      frameSize: this.model.frameSize,
      createScorer: () => this.model.createScorer(),
      pose: this.model.pose,
      events: this.events,
      onPicture: this.media.onPicture.bind(this.media),
      onStatus: (camera: CameraConfig, status: StreamStatus) => this.publishStatus(camera, status),
      logger: this.logger,
    };
    this.pipelines = this.config.cameras.filter((c) => c.enabled).map((c) => new CameraPipeline(c, this.config, deps));
    this.running = this.pipelines.map((p) =>
      p
        .run(this.abort.signal)
        .catch((err) => this.logger.error(withFields({ camera: p.camera.id }, `camera "${p.camera.id}" pipeline stopped: ${(err as Error).stack}`))),
    );
    this.logger.log(`started ${this.pipelines.length} camera pipeline(s)`);
    // the retained state also carries the measured fps, so it is refreshed now and then, not only on changes
    this.refresher = setInterval(() => this.pipelines.forEach((p) => this.publishStatus(p.camera, p.health())), STATE_REFRESH_MS).unref();
  }

  private publishStatus(camera: CameraConfig, status: StreamStatus): void {
    const { topicPrefix: prefix } = this.config.mqtt;
    const site = this.config.site.id;
    this.mqtt.setState(topics.cameraAvailability(prefix, site, camera.id), status.state === 'online' ? AVAILABILITY.online : AVAILABILITY.offline);
    const state: CameraState = {
      name: camera.name ?? camera.id,
      location: camera.location ?? null,
      state: status.state,
      reconnects: status.reconnects,
      fps: Math.round(status.fps * 10) / 10,
      lastError: status.lastError ? redactUrl(status.lastError) : null,
      live: `${this.urls.base()}/cameras/${camera.id}/live.mjpeg`,
      snapshot: `${this.urls.base()}/cameras/${camera.id}/snapshot.jpg`,
      at: new Date().toISOString(),
    };
    this.mqtt.setState(topics.cameraState(prefix, site, camera.id), JSON.stringify(state));
  }

  health(): CameraHealth[] {
    return this.pipelines.map((p) => p.health());
  }

  async stop(): Promise<void> {
    clearInterval(this.refresher);
    this.abort.abort();
    await Promise.all(this.running);
  }
}
