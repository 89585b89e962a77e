import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { loadVideoModel, resolveModelCard, type InferenceStats, type ModelCard, type VideoModel, type WindowScorer } from '@vigil/model';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';

/** The one model of this agent, shared by every camera: each camera gets a scorer, all scorers batch onto it. */
@Injectable()
export class ModelRepository implements OnApplicationShutdown {
  private readonly logger = new Logger(ModelRepository.name);
  private model?: VideoModel;
  private readonly runListeners: Array<(graph: string, ms: number, batch: number) => void> = [];

  constructor(@Inject(SITE_CONFIG) private readonly config: SiteConfig) {}

  async load(): Promise<void> {
    const { card, threads, executionProviders, mode, precision, maxBatch, batchWaitMs, hop } = this.config.model;
    const cardPath = resolveModelCard(card);
    this.model = await loadVideoModel(cardPath, { intraOpThreads: threads, executionProviders, mode, precision, maxBatch: maxBatch ?? Math.max(1, this.config.cameras.length), maxWaitMs: batchWaitMs, hop, onRun: (graph, ms, batch) => this.runListeners.forEach((l) => l(graph, ms, batch)) });
    for (const skipped of this.model.fallbacks) this.logger.warn(`execution provider not available, falling back: ${skipped}`);
    this.logger.log(this.model.describe());
    const started = performance.now();
    const batch = await this.model.warmUp();
    this.logger.log(`model warmed up with one run of its largest batch (${batch}, model.maxBatch) in ${(performance.now() - started).toFixed(0)} ms`);
  }

  private get loaded(): VideoModel {
    if (!this.model) throw new Error('ModelRepository.load() must run before the model is used');
    return this.model;
  }

  get card(): ModelCard {
    return this.loaded.card;
  }

  createScorer(): WindowScorer {
    return this.loaded.createScorer();
  }

  /** Every session run: which graph (window, frame or temporal), milliseconds, batch size. */
  onRun(listener: (graph: string, ms: number, batch: number) => void): void {
    this.runListeners.push(listener);
  }

  get stats(): InferenceStats | undefined {
    return this.model?.stats;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.model?.release();
  }
}
