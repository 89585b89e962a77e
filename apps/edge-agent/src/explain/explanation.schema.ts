import { z } from 'zod';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What an LLM must answer: JSON only. snake_case is accepted because many local models prefer it. */
export const LlmAnswerSchema = z
  .object({
    summary: z.string().trim().min(10).max(700),
    severity: z.enum(SEVERITIES),
    suggestedAction: z.string().trim().min(3).max(300).optional(),
    suggested_action: z.string().trim().min(3).max(300).optional(),
  })
  .transform((a) => ({ summary: a.summary, severity: a.severity, suggestedAction: a.suggestedAction ?? a.suggested_action }))
  .refine((a) => a.suggestedAction !== undefined, { message: 'suggestedAction is missing', path: ['suggestedAction'] });
export type LlmAnswer = { summary: string; severity: Severity; suggestedAction: string };

/** Pulls the JSON object out of a model reply (bare, or wrapped in a ```json fence or in prose) and validates it. */
export function parseLlmAnswer(content: string): LlmAnswer {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1];
  const text = (fenced ?? content).trim();
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error(`the model did not answer with a JSON object: ${JSON.stringify(content.slice(0, 160))}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    throw new Error(`the model's JSON does not parse (${(err as Error).message}): ${JSON.stringify(content.slice(0, 160))}`);
  }
  const parsed = LlmAnswerSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `the model's JSON does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as LlmAnswer;
}
