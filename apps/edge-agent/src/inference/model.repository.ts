import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Cascade,
  createFrameScorer,
  decodeSize,
  loadModelCard,
  loadVideoModel,
  PoseStage,
  resolveModelCard,
  resolvePoseFallCard,
  windowSeconds,
  withPoseFall,
  type InferenceStats,
  type LabelScores,
  type ModelCard,
  type PoseFallScorer,
  type CascadeStats,
  type FrameScorer,
  type VideoModel,
  type Views,
  VIEW_COUNT,
} from '@vigil/model';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { confirmSetting, type ConfirmSetting } from './cascade-setting';

/**
 * The models of this agent, shared by every camera: the video model (each camera gets a scorer, all scorers batch
 * onto it), with `model.confirm` a second video model that confirms its fire and smoke candidates (a cascade), and,
 * with `model.fall: pose`, the pose stage whose fall scores take the place of the video model's.
 */
@Injectable()
export class ModelRepository {
  private readonly logger = new Logger(ModelRepository.name);
  private model?: VideoModel;
  private cascade?: Cascade;
  private poseStage?: PoseStage;
  private poseFall?: ReturnType<typeof withPoseFall>;
  private readonly runListeners: Array<(graph: string, ms: number, batch: number) => void> = [];
  private views: Views = 'whole';
  /** Inference threads started again after one was lost (model.thread: worker). */
  threadRestarts = 0;
  private readonly onThreadRestart = (reason: string) => {
    this.threadRestarts++;
    this.logger.warn(`${reason}; started a new one (the cameras' runs in flight were lost, the next ones run there)`);
  };

  constructor(@Inject(SITE_CONFIG) private readonly config: SiteConfig) {}

  async load(): Promise<void> {
    const { card, threads, thread, executionProviders, mode, precision, maxBatch, batchWaitMs, hop, views } = this.config.model;
    const cardPath = resolveModelCard(card);
    this.views = views ?? loadModelCard(cardPath).card.views;
    this.model = await loadVideoModel(cardPath, {
      intraOpThreads: threads,
      thread,
      onThreadRestart: this.onThreadRestart,
      executionProviders,
      mode,
      precision,
      maxBatch: maxBatch ?? Math.max(1, this.config.cameras.length) * VIEW_COUNT[this.views],
      maxWaitMs: batchWaitMs,
      hop,
      onRun: (graph, ms, batch) => this.runListeners.forEach((l) => l(graph, ms, batch)),
    });
    for (const skipped of this.model.fallbacks) this.logger.warn(`execution provider not available, falling back: ${skipped}`);
    this.logger.log(`${this.model.describe()}${thread === 'worker' ? '; each graph runs on a thread of its own' : ''}`);
    if (this.views === 'tiles') {
      const { width, height } = this.frameSize;
      this.logger.log(`views: tiles (frames decoded at ${width}x${height}; the whole picture and its 4 quadrants scored, 5 windows per camera)`);
    }
    const started = performance.now();
    const batch = await this.model.warmUp();
    this.logger.log(`model warmed up with one run of its largest batch (${batch}, model.maxBatch) in ${(performance.now() - started).toFixed(0)} ms`);
    const confirm = confirmSetting(this.config.model);
    if (confirm) await this.loadCascade(this.model, confirm);
    if (this.config.model.fall === 'pose') await this.loadPoseStage();
  }

  private async loadCascade(first: VideoModel, confirm: ConfirmSetting): Promise<void> {
    if (this.views !== 'whole') {
      throw new Error('model.confirm scores the whole picture first and tiles only to confirm; remove model.views: tiles (or model.confirm)');
    }
    const { threads, thread, executionProviders, batchWaitMs, hop } = this.config.model;
    const second = await loadVideoModel(resolveModelCard(confirm.card), {
      intraOpThreads: threads,
      thread,
      onThreadRestart: this.onThreadRestart,
      executionProviders,
      mode: 'window',
      // candidates are rare on most cameras: a batch holds up to four cameras' views, more wait their turn
      maxBatch: Math.min(4, Math.max(1, this.config.cameras.length)) * VIEW_COUNT.tiles,
      maxWaitMs: batchWaitMs,
      hop,
      onRun: (_graph, ms, batch) => this.runListeners.forEach((l) => l('confirm', ms, batch)),
    });
    let cascade: Cascade;
    try {
      cascade = new Cascade(first, second, confirm.gate);
    } catch (err) {
      await second.release();
      throw new Error(`model.confirm: ${(err as Error).message} (model.confirm: false runs ${first.card.name} alone)`);
    }
    const tooLow = thresholdUnderGate(this.config, cascade);
    if (tooLow) {
      await second.release();
      throw new Error(
        `model.confirm.gate (${cascade.gate}${confirm.gate === undefined ? ", the confirming card's" : ''}) must be under the ${tooLow.kind} threshold (${tooLow.threshold}, ${tooLow.field}): a window the confirming model never saw could open an event; lower the gate or raise the threshold`,
      );
    }
    await second.warmUp();
    this.cascade = cascade;
    this.logger.log(`${cascade.describe()}; ${second.describe()}`);
  }

  private async loadPoseStage(): Promise<void> {
    const { poseCard, poseMotionGate, threads, thread, executionProviders } = this.config.model;
    const stage = await PoseStage.open(resolvePoseFallCard(poseCard), {
      intraOpThreads: threads,
      thread,
      onThreadRestart: this.onThreadRestart,
      executionProviders,
      motionGate: poseMotionGate,
      onRun: (graph, ms, batch) => this.runListeners.forEach((l) => l(graph, ms, batch)),
    });
    const video = this.cascade?.card ?? this.loaded.card;
    if (stage.fall.card.input.fps !== video.input.fps) {
      await stage.release();
      throw new Error(
        `model.fall: pose needs the pose-fall model (${stage.fall.card.input.fps} fps) and the video model (${video.input.fps} fps) to sample frames at the same rate; set model.fall: video or use a matching model.poseCard`,
      );
    }
    this.poseStage = stage;
    this.poseFall = withPoseFall(video, stage.threshold);
    this.logger.log(stage.describe());
  }

  private get loaded(): VideoModel {
    if (!this.model) throw new Error('ModelRepository.load() must run before the model is used');
    return this.model;
  }

  /** The card the event rules use: with the pose stage, fall labels carry its threshold (see withPoseFall). */
  get card(): ModelCard {
    return this.poseFall?.card ?? this.cascade?.card ?? this.loaded.card;
  }

  /** The model that scores `kind` as events name it: the pose-fall model for falls with the pose stage, else the video model. */
  scorerOf(kind: string): { name: string; windowSeconds: number } {
    const { poseStage } = this;
    if (kind === 'fall' && poseStage) return { name: poseStage.fall.card.name, windowSeconds: poseStage.fall.frames / poseStage.fall.card.input.fps };
    return { name: this.card.name, windowSeconds: windowSeconds(this.card) };
  }

  /** With `model.fall: pose`: the pose pictures' size, a scorer per camera, and how its score joins the video scores. */
  get pose(): { picture: PoseStage['pictureSize']; createScorer(): PoseFallScorer; apply(scores: LabelScores, fall: number): LabelScores } | undefined {
    const { poseStage, poseFall } = this;
    if (!poseStage || !poseFall) return undefined;
    return { picture: poseStage.pictureSize, createScorer: () => poseStage.createScorer(), apply: poseFall.apply };
  }

  /** Size the model's frames are decoded at for this agent's views. */
  get frameSize(): { width: number; height: number } {
    return this.cascade?.frameSize ?? decodeSize(this.loaded.card, this.views);
  }

  createScorer(): FrameScorer {
    return this.cascade?.createScorer() ?? createFrameScorer(this.loaded, this.views);
  }

  /** With `model.confirm`: the windows the first stage scored and those the confirming model saw. */
  get cascadeStats(): CascadeStats | undefined {
    return this.cascade?.stats;
  }

  /** Every session run: which graph (window, frame or temporal), milliseconds, batch size. */
  onRun(listener: (graph: string, ms: number, batch: number) => void): void {
    this.runListeners.push(listener);
  }

  get stats(): InferenceStats | undefined {
    return this.model?.stats;
  }

  /** Releases the sessions; the agent's lifecycle calls it once no camera runs inference any more. */
  async release(): Promise<void> {
    await Promise.all([this.cascade?.release() ?? this.model?.release(), this.poseStage?.release()]);
  }
}

/** The first fire or smoke threshold (the card's, the site's or a camera's) at or under the cascade's gate. */
function thresholdUnderGate(config: SiteConfig, cascade: Cascade): { kind: string; threshold: number; field: string } | undefined {
  for (const label of cascade.labels) {
    const kind = cascade.card.eventKinds[label] as 'fire' | 'smoke';
    const candidates: Array<[number | undefined, string]> = [
      [
        config.events[kind].threshold ?? cascade.card.thresholds[label],
        config.events[kind].threshold === undefined ? "the confirming card's" : `events.${kind}.threshold`,
      ],
      ...config.cameras.map((c): [number | undefined, string] => [c.events?.[kind]?.threshold, `cameras[${c.id}].events.${kind}.threshold`]),
    ];
    const low = candidates.find(([t]) => t !== undefined && t <= cascade.gate);
    if (low) return { kind, threshold: low[0]!, field: low[1] };
  }
  return undefined;
}
