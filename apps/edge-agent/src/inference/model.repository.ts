import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { BatchedInference, OnnxVideoModel, shippedModelCard, windowSeconds, type ModelCard } from '@vigil/model';
import { resolve } from 'node:path';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';

/** The one inference session of this agent, shared by every camera through a batching queue. */
@Injectable()
export class ModelRepository implements OnApplicationShutdown {
  private readonly logger = new Logger(ModelRepository.name);
  private model?: OnnxVideoModel;
  private queue?: BatchedInference;

  constructor(@Inject(SITE_CONFIG) private readonly config: SiteConfig) {}

  async load(): Promise<void> {
    const { card, threads, executionProviders } = this.config.model;
    const cardPath = card === 'builtin' ? shippedModelCard() : resolve(card);
    this.model = await OnnxVideoModel.load(cardPath, { intraOpThreads: threads, executionProviders });
    for (const skipped of this.model.fallbacks) this.logger.warn(`execution provider not available, falling back: ${skipped}`);
    this.queue = new BatchedInference(this.model, Math.max(1, this.config.cameras.length));
    const c = this.model.card;
    this.logger.log(
      `model ${c.name}: ${c.input.frames} frames of ${c.input.width}x${c.input.height} at ${c.input.fps} fps (${windowSeconds(c)} s windows, hop ${c.window.hop}), labels ${c.labels.join(', ')}; providers ${this.model.executionProviders.join(' > ')}`,
    );
  }

  get card(): ModelCard {
    if (!this.model) throw new Error('ModelRepository.load() must run before the model is used');
    return this.model.card;
  }

  score(window: Float32Array): Promise<number[]> {
    if (!this.queue) throw new Error('ModelRepository.load() must run before the model is used');
    return this.queue.score(window);
  }

  get stats() {
    return this.queue?.stats;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.model?.release();
  }
}
