import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Explanation } from '@vigil/contracts';
import { DEEPSEEK_DEFAULTS } from '../config/load-site-config';
import type { SiteConfig } from '../config/site-config.schema';
import { SITE_CONFIG } from '../config/site-config.token';
import { Explainer } from './explainer';
import { LlmClient } from './llm.client';
import type { ExplainEvidence } from './prompts';

/**
 * The agent's explainer, built once from `explanations` in the site file. With `provider: template` it never
 * calls out; otherwise it asks the configured LLM and falls back to the template on any failure.
 */
@Injectable()
export class ExplanationService {
  private readonly logger = new Logger(ExplanationService.name);
  private readonly explainer: Explainer;

  constructor(@Inject(SITE_CONFIG) config: SiteConfig) {
    const e = config.explanations;
    const deepseek = e.provider === 'deepseek';
    const model = e.model ?? (deepseek ? DEEPSEEK_DEFAULTS.model : '');
    const client =
      e.provider === 'template'
        ? undefined
        : new LlmClient({
            baseUrl: e.baseUrl ?? DEEPSEEK_DEFAULTS.baseUrl,
            model,
            apiKey: e.apiKey,
            timeoutMs: e.timeoutSeconds * 1000,
            retries: e.retries,
          });
    this.explainer = new Explainer(client, { language: e.language, vision: e.vision, concurrency: e.concurrency, model });
    if (client)
      this.logger.log(`event explanations by ${e.provider} model "${model}" at ${client.endpoint} (${e.language}); the template stands in on any failure`);
  }

  get usesLlm(): boolean {
    return this.explainer.enabled;
  }

  get stats() {
    return this.explainer.stats;
  }

  /** The LLM's explanation, or `template` when there is no LLM or it failed (the reason is logged). */
  async explain(eventId: string, evidence: ExplainEvidence, template: Explanation): Promise<Explanation> {
    const result = await this.explainer.explain(evidence, () => template);
    if (result.fallbackReason !== undefined)
      this.logger.warn(`event ${eventId}: keeping the template explanation because the LLM failed: ${result.fallbackReason}`);
    return result.explanation;
  }
}
