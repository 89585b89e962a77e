import { z } from 'zod';
import { EventKindSchema } from './event-kind';

export const EVENT_SCHEMA_ID = 'vigil.event/2';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "-" or "_", up to 64 characters');
const IsoTime = z.iso.datetime({ offset: true });

/** Points of an event's score timeline carried in each message. */
export const MAX_TIMELINE_POINTS = 240;

export const ExplanationSchema = z.object({
  text: z.string().min(1).max(2000),
  source: z.enum(['template', 'llm']),
  language: z.string().min(2).max(16),
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  suggestedAction: z.string().max(600).optional(),
  /** The LLM that wrote it and the prompt version, for audit. */
  model: z.string().max(120).optional(),
  promptVersion: z.string().max(60).optional(),
  usage: z.object({ promptTokens: z.number().int().min(0), completionTokens: z.number().int().min(0) }).optional(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

/**
 * What is known about an event at one moment: carried as `after` (now) and `before` (as of the previous message)
 * so consumers see what changed without keeping state, like Frigate's events topic.
 */
export const EventStateSchema = z.object({
  camera: z.object({ id: Id, name: z.string().min(1).max(120), location: z.string().max(200).optional() }),
  kind: EventKindSchema,
  label: z.string().min(1).max(64),
  startedAt: IsoTime,
  updatedAt: IsoTime,
  endedAt: IsoTime.nullable(),
  score: z.number().min(0).max(1),
  peakScore: z.number().min(0).max(1),
  threshold: z.number().min(0).max(1),
  model: z.object({ name: z.string().min(1).max(120), windowSeconds: z.number().positive() }),
  explanation: ExplanationSchema.nullable(),
  /** Where the agent serves the event's pictures; null until written (the clip follows as an `update`). */
  media: z.object({ snapshot: z.url().max(2048).nullable(), clip: z.url().max(2048).nullable() }).optional(),
  /** Window scores of the event as [seconds since startedAt, score], oldest first (evenly thinned when long). */
  timeline: z
    .array(z.tuple([z.number().min(-60), z.number().min(0).max(1)]))
    .max(MAX_TIMELINE_POINTS)
    .optional(),
  /** Why an ended event ended when not by its scores: `agent-restarted` after the agent died with it open. */
  endReason: z.enum(['agent-restarted']).optional(),
});
export type EventState = z.infer<typeof EventStateSchema>;

/**
 * One message about one event on `vigil/<site>/events`. `new` opens it, `update` enriches it (clip, explanation,
 * a higher peak), `end` closes it. `seq` grows with each message of the same event so consumers can drop stale
 * or repeated deliveries (MQTT QoS 1 is at-least-once).
 */
export const EventMessageSchema = z.object({
  schema: z.literal(EVENT_SCHEMA_ID),
  type: z.enum(['new', 'update', 'end']),
  eventId: z.uuid(),
  seq: z.number().int().min(0),
  site: Id,
  /** The state as of the previous message of this event; null for `new`. */
  before: EventStateSchema.nullable(),
  after: EventStateSchema,
  /** The site agent's ed25519 signature of the message before this member (see signature.ts). */
  signature: z.object({ keyId: z.string().regex(/^[0-9a-f]{12}$/), value: z.base64().max(100) }).optional(),
});
export type EventMessage = z.infer<typeof EventMessageSchema>;

export const ACK_SCHEMA_ID = 'vigil.ack/1';

/**
 * On `vigil/<site>/acks`: a console has stored (or already had) message `seq` of event `eventId`. The agent keeps
 * each event message in its outbox, re-sending it now and then, until one arrives.
 */
export const AckMessageSchema = z.strictObject({
  schema: z.literal(ACK_SCHEMA_ID),
  eventId: z.uuid(),
  seq: z.number().int().min(0),
});
export type AckMessage = z.infer<typeof AckMessageSchema>;
