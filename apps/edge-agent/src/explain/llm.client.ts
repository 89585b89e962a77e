import type { ChatMessage } from './prompts';

export interface LlmClientOptions {
  /** OpenAI-compatible base URL, e.g. https://api.deepseek.com or http://127.0.0.1:8000/v1 (vLLM). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  /** Extra attempts after a timeout, a network error, 429 or 5xx. */
  retries: number;
  maxTokens?: number;
}

export interface LlmCompletion {
  content: string;
  usage: { promptTokens: number; completionTokens: number };
  attempts: number;
  ms: number;
}

export class LlmRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'LlmRequestError';
  }
}

/**
 * Minimal client for the OpenAI chat completions API as served by DeepSeek, vLLM, Ollama and llama.cpp.
 * One request per call with a hard timeout; retries only failures that a retry can fix.
 */
export class LlmClient {
  constructor(
    private readonly options: LlmClientOptions,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  get endpoint(): string {
    return `${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async complete(messages: ChatMessage[]): Promise<LlmCompletion> {
    const started = Date.now();
    let last: LlmRequestError | undefined;
    for (let attempt = 1; attempt <= this.options.retries + 1; attempt++) {
      try {
        const result = await this.request(messages);
        return { ...result, attempts: attempt, ms: Date.now() - started };
      } catch (err) {
        last = err instanceof LlmRequestError ? err : new LlmRequestError(String(err), false);
        if (!last.retryable || attempt > this.options.retries) break;
        await this.sleep(250 * 2 ** (attempt - 1));
      }
    }
    throw last!;
  }

  private async request(messages: ChatMessage[]): Promise<Omit<LlmCompletion, 'attempts' | 'ms'>> {
    const url = this.endpoint;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({
          model: this.options.model,
          messages,
          temperature: 0.2,
          max_tokens: this.options.maxTokens ?? 400,
          response_format: { type: 'json_object' },
          stream: false,
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new LlmRequestError(`LLM request to "${url}" timed out after ${this.options.timeoutMs} ms`, true);
      throw new LlmRequestError(`LLM request to "${url}" failed: ${e.cause?.code ?? e.message}`, true);
    }
    let body: string;
    try {
      body = await res.text();
    } catch (err) {
      throw new LlmRequestError(`LLM response from "${url}" broke off: ${(err as Error).message}`, true);
    }
    if (!res.ok) {
      const retryable = res.status === 429 || res.status >= 500;
      throw new LlmRequestError(`LLM request to "${url}" failed with status ${res.status}: ${body.slice(0, 200)}`, retryable);
    }
    let json: { choices?: Array<{ message?: { content?: string } }>; usage?: { prompt_tokens?: number; completion_tokens?: number } };
    try {
      json = JSON.parse(body);
    } catch {
      throw new LlmRequestError(`LLM response from "${url}" is not JSON: ${body.slice(0, 200)}`, false);
    }
    const content = json.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim()) throw new LlmRequestError(`LLM response from "${url}" has no message content`, false);
    return { content, usage: { promptTokens: json.usage?.prompt_tokens ?? 0, completionTokens: json.usage?.completion_tokens ?? 0 } };
  }
}
