import type { Logger } from '@nestjs/common';
import type { FrameScorer, LabelScores, ModelCard, PoseFallScorer } from '@vigil/model';
import {
  FfmpegFrameSource,
  hwaccelArguments,
  inputArguments,
  jpegSize,
  redactUrl,
  ResilientFrameSource,
  type Frame,
  type FrameSize,
  type StreamStatus,
} from '@vigil/streams';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import { applyMask, rasteriseLetterboxMask, rasteriseMask } from './ignore-mask';
import { withFields } from '../common/log-fields';

export type PipelineStage = 'idle' | 'connecting' | 'first-frame' | 'infer' | 'event';

export interface CameraHealth extends StreamStatus {
  id: string;
  name: string;
  stage: PipelineStage;
  windows: number;
  /** ms since the newest frame, null before the first one. */
  lastFrameAgeMs: number | null;
  lastScores?: Record<string, number>;
}

/** The pose stage as a camera uses it (ModelRepository.pose). */
export interface PosePipelineDeps {
  /** Size of the letterboxed pictures the pose model takes, decoded beside the model frames. */
  picture: FrameSize;
  createScorer(): PoseFallScorer;
  /** The window's scores with the pose stage's fall score in the fall labels' place. */
  apply(scores: LabelScores, fall: number): LabelScores;
}

/** Where a camera's window scores go: the event rules (EventService). */
export interface WindowObserver {
  observe(camera: CameraConfig, scores: LabelScores, at: number): void;
}

export interface PipelineDeps {
  card: ModelCard;
  /** Size the model's frames are decoded at (the card's input size, twice that for tiles). */
  frameSize: FrameSize;
  createScorer(): FrameScorer;
  pose?: PosePipelineDeps;
  events: WindowObserver;
  onPicture(cameraId: string, jpeg: Buffer, at: number): void;
  onStatus(camera: CameraConfig, status: StreamStatus): void;
  logger: Logger;
}

/** camera -> frames -> window -> scores -> event rule, for one camera, until aborted. */
export class CameraPipeline {
  private readonly source: ResilientFrameSource;
  private stage: PipelineStage = 'idle';
  private windows = 0;
  private lastScores?: Record<string, number>;
  /** Pixels of the model-size picture blanked before inference (camera `masks`), or undefined. */
  private readonly mask?: Uint8Array;
  /** The same for the pose picture, known once the first preview picture gives the camera's aspect ratio. */
  private poseMask?: Uint8Array;

  constructor(
    readonly camera: CameraConfig,
    config: Pick<SiteConfig, 'ingest' | 'preview'>,
    private readonly deps: PipelineDeps,
  ) {
    const { card, frameSize } = deps;
    const { ingest, preview } = config;
    if (camera.masks.length) this.mask = rasteriseMask(camera.masks, frameSize.width, frameSize.height);
    const input = inputArguments(camera.url, {
      rtspTransport: camera.rtspTransport,
      ioTimeoutMs: ingest.ioTimeoutSeconds * 1000,
      decoder: hwaccelArguments(camera.hwaccel ?? ingest.hwaccel, camera.codec),
    });
    this.source = new ResilientFrameSource(
      () => {
        this.stage = 'first-frame';
        return new FfmpegFrameSource({
          input,
          fps: card.input.fps,
          size: frameSize,
          side: deps.pose?.picture,
          reuseBuffers: true, // nothing below keeps a frame's buffers past its turn in run()
          stallTimeoutMs: ingest.stallSeconds * 1000,
          preview: { ...preview, onJpeg: (jpeg, at) => this.onPicture(jpeg, at) },
        });
      },
      {
        backoff: { initialMs: ingest.reconnectMinSeconds * 1000, maxMs: ingest.reconnectMaxSeconds * 1000 },
        onStatus: (s) => this.onStatus(s),
      },
    );
  }

  health(now = Date.now()): CameraHealth {
    const status = this.source.current;
    return {
      id: this.camera.id,
      name: this.camera.name ?? this.camera.id,
      ...status,
      lastError: status.lastError && redactUrl(status.lastError),
      stage: this.stage,
      windows: this.windows,
      lastFrameAgeMs: status.lastFrameAt ? now - status.lastFrameAt : null,
      lastScores: this.lastScores,
    };
  }

  async run(signal: AbortSignal): Promise<void> {
    const { card } = this.deps;
    // each frame is normalised once (per view); the scorer shares it between the windows that hold it
    const scorer = this.deps.createScorer();
    const pose = this.deps.pose;
    const poseScorer = pose?.createScorer();
    const gapMs = Math.max(2000, (4 * 1000) / card.input.fps);
    let previous: Frame | undefined;
    for await (const frame of this.source.frames(signal)) {
      // frames on both sides of a reconnect or a stall never share a window
      if (previous && (frame.seq <= previous.seq || frame.at - previous.at > gapMs)) {
        scorer.reset();
        poseScorer?.reset();
      }
      previous = frame;
      if (this.mask) applyMask(frame.data, this.mask);
      this.stage = 'infer';
      let scored;
      try {
        let posed: Promise<unknown> = Promise.resolve();
        if (pose && poseScorer && frame.side && this.poseReady) {
          if (this.poseMask) applyMask(frame.side, this.poseMask, [0, 0, 0]);
          posed = poseScorer.push({ data: frame.side, width: pose.picture.width, height: pose.picture.height });
        }
        // the pose and the video model look at the frame at the same time (each on its own thread); both settle
        // before a failure resets the scorers, so neither pushes into a scorer reset under it
        const [video, poseDone] = await Promise.allSettled([scorer.push(frame, frame.at), posed]);
        if (video.status === 'rejected') throw video.reason;
        if (poseDone.status === 'rejected') throw poseDone.reason;
        scored = video.value;
        if (scored && pose && poseScorer) scored = { ...scored, scores: pose.apply(scored.scores, (await poseScorer.score()) ?? 0) };
      } catch (err) {
        this.deps.logger.error(
          withFields({ camera: this.camera.id }, `Model inference failed for camera "${this.camera.id}" (window ${this.windows}): ${(err as Error).message}`),
        );
        scorer.reset();
        poseScorer?.reset();
        continue;
      }
      if (!scored) continue;
      const { scores } = scored;
      this.windows++;
      this.lastScores = Object.fromEntries(Object.entries(scores).map(([l, s]) => [l, Math.round(s * 1000) / 1000]));
      this.stage = 'event';
      try {
        this.deps.events.observe(this.camera, scores, scored.at);
      } catch (err) {
        // the event side reports its own failures (health, metrics); a camera never stops because of them
        this.deps.logger.error(withFields({ camera: this.camera.id }, `Event rule failed for camera "${this.camera.id}": ${(err as Error).message}`));
      }
    }
    this.stage = 'idle';
  }

  /** A camera with masks scores poses only once its aspect ratio, and so the pose picture's mask, is known. */
  private get poseReady(): boolean {
    return !this.camera.masks.length || this.poseMask !== undefined;
  }

  private onPicture(jpeg: Buffer, at: number): void {
    const pose = this.deps.pose;
    if (pose && this.camera.masks.length && !this.poseMask) {
      const size = jpegSize(jpeg);
      if (size) this.poseMask = rasteriseLetterboxMask(this.camera.masks, size.width / size.height, pose.picture.width);
    }
    this.deps.onPicture(this.camera.id, jpeg, at);
  }

  private onStatus(s: StreamStatus): void {
    const name = `camera "${this.camera.id}"`;
    if (s.state === 'connecting') {
      this.stage = 'connecting';
      this.poseMask = undefined; // the stream that comes back may have another aspect ratio
      const line = `${name}: connecting to ${redactUrl(this.camera.url)}`;
      if (s.reconnects === 0) this.deps.logger.log(withFields({ camera: this.camera.id }, line));
      else this.deps.logger.debug(withFields({ camera: this.camera.id }, line));
    } else if (s.state === 'online') {
      this.deps.logger.log(withFields({ camera: this.camera.id }, `${name}: online${s.reconnects ? ` after ${s.reconnects} reconnects` : ''}`));
    } else {
      this.deps.logger.warn(
        withFields({ camera: this.camera.id }, `${name}: ${s.state} (${redactUrl(s.lastError ?? 'no error')}); reconnect #${s.reconnects + 1} with backoff`),
      );
    }
    this.deps.onStatus(this.camera, s);
  }
}
