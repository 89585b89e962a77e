import type { Explanation } from '@vigil/contracts';
import { parseLlmAnswer, type Severity } from './explanation.schema';
import type { LlmClient } from './llm.client';
import { buildPrompt, PROMPT_VERSION, type ExplainEvidence } from './prompts';
import { Semaphore } from '../common/semaphore';

export interface ExplainResult {
  explanation: Explanation;
  /** Why the LLM was not used, when the template stands in. */
  fallbackReason?: string;
}

export interface ExplainerStats {
  requests: number;
  succeeded: number;
  fellBack: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Asks an LLM for an explanation and never fails: any error, timeout or malformed answer returns the grounded
 * template instead, with the reason. At most `concurrency` requests are in flight.
 */
export class Explainer {
  private readonly semaphore: Semaphore;
  readonly stats: ExplainerStats = { requests: 0, succeeded: 0, fellBack: 0, promptTokens: 0, completionTokens: 0 };

  constructor(
    private readonly client: LlmClient | undefined,
    private readonly options: { language: string; vision: boolean; concurrency: number; model: string },
  ) {
    this.semaphore = new Semaphore(options.concurrency);
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** `template` writes the grounded explanation that stands when there is no LLM or it fails. */
  async explain(evidence: ExplainEvidence, template: (e: ExplainEvidence) => Explanation): Promise<ExplainResult> {
    if (!this.client) return { explanation: template(evidence) };
    const client = this.client;
    this.stats.requests++;
    try {
      const completion = await this.semaphore.run(() => client.complete(buildPrompt(evidence, this.options.language, this.options.vision)));
      this.stats.promptTokens += completion.usage.promptTokens;
      this.stats.completionTokens += completion.usage.completionTokens;
      const answer = parseLlmAnswer(completion.content);
      this.stats.succeeded++;
      return {
        explanation: {
          text: answer.summary,
          source: 'llm',
          language: this.options.language,
          severity: answer.severity as Severity,
          suggestedAction: answer.suggestedAction,
          model: this.options.model,
          promptVersion: PROMPT_VERSION,
          usage: completion.usage,
        },
      };
    } catch (err) {
      this.stats.fellBack++;
      return { explanation: template(evidence), fallbackReason: (err as Error).message };
    }
  }
}
