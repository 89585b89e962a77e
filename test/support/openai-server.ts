import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = 'ok' | 'slow' | 'error500' | 'invalid-json' | 'prose' | 'flaky';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  response_format?: unknown;
  authorization?: string;
}

/**
 * A local HTTP server speaking the OpenAI chat completions API (POST /v1/chat/completions), whose behaviour
 * the test sets: a good JSON answer, a slow one, HTTP 500, a body that is not JSON, prose instead of JSON, or
 * one 503 followed by a good answer. It records every request it receives.
 */
export async function startOpenAiServer(
  answer: object = {
    summary: 'A person fell in the corridor and did not get up for 6 seconds.',
    severity: 'high',
    suggestedAction: 'Send staff to the corridor now.',
  },
) {
  let behaviour: Behaviour = 'ok';
  let slowMs = 5000;
  let flakyFailures = 0;
  const requests: ChatRequest[] = [];
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(await readBody(req));
    requests.push({ ...body, authorization: req.headers.authorization });
    const reply = (content: string) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 321, completion_tokens: 54, total_tokens: 375 },
        }),
      );
    switch (behaviour) {
      case 'ok':
        return reply(JSON.stringify(answer));
      case 'slow':
        await new Promise((r) => setTimeout(r, slowMs).unref());
        if (!res.destroyed) reply(JSON.stringify(answer));
        return;
      case 'error500':
        return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"model crashed"}}');
      case 'invalid-json':
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [ {"message": ');
      case 'prose':
        return reply('Sure! A person seems to have fallen. Please check.');
      case 'flaky':
        if (flakyFailures-- > 0) return res.writeHead(503).end('busy');
        return reply('```json\n' + JSON.stringify(answer) + '\n```');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    set(b: Behaviour, options: { slowMs?: number; failures?: number } = {}) {
      behaviour = b;
      slowMs = options.slowMs ?? slowMs;
      flakyFailures = options.failures ?? 1;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
