/**
 * A log record with structured fields beside the message: pino writes `camera` (and `event`, `kind`) as JSON keys,
 * so a log pipeline can filter one camera without parsing sentences.
 */
export function withFields(
  fields: { camera?: string; event?: string; kind?: string },
  msg: string,
): { msg: string; camera?: string; event?: string; kind?: string } {
  return { ...fields, msg };
}
