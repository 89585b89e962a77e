import { EVENT_KINDS, ExplanationSchema } from '@vigil/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Query of GET /api/events. */
export const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('1-1000, default 200'),
  unacknowledged: z.enum(['true', 'false']).optional(),
  site: z.string().max(64).optional(),
  camera: z.string().max(64).optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  state: z.enum(['active', 'ended', 'unacknowledged', 'acknowledged', 'resolved']).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('ISO time: events started at or after'),
  until: z.iso.datetime({ offset: true }).optional().describe('ISO time: events started before'),
});

/** Body of an acknowledgement or a resolution. */
export const NoteSchema = z.strictObject({
  note: z.string().trim().max(1000).optional(),
});

const OperatorStep = z.object({ at: z.string(), by: z.string().nullable(), note: z.string().nullable() });

/** An event as the console stores and serves it: the agent's latest state plus the operators' work on it. */
export const ConsoleEventSchema = z.object({
  id: z.string(),
  site: z.string(),
  camera: z.object({ id: z.string(), name: z.string(), location: z.string().nullable() }),
  kind: z.string(),
  label: z.string(),
  state: z.enum(['active', 'ended']),
  startedAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().nullable(),
  score: z.number(),
  peakScore: z.number(),
  threshold: z.number(),
  explanation: ExplanationSchema.nullable(),
  model: z.string(),
  media: z.object({ snapshot: z.string().nullable(), clip: z.string().nullable() }),
  receivedAt: z.string(),
  acknowledgement: OperatorStep.nullable(),
  resolution: OperatorStep.nullable(),
  timeline: z
    .array(z.tuple([z.number(), z.number()]))
    .nullable()
    .describe('window scores since the event started: [seconds, score]'),
});
export type ConsoleEvent = z.output<typeof ConsoleEventSchema>;

export const EventListSchema = z.object({
  events: z.array(ConsoleEventSchema),
  sites: z.record(z.string(), z.boolean()).describe('each site the console has heard of: whether its agent is online'),
});

export class ListQueryDto extends createZodDto(ListQuerySchema) {}
export class NoteDto extends createZodDto(NoteSchema) {}
export class ConsoleEventDto extends createZodDto(ConsoleEventSchema) {}
export class EventListDto extends createZodDto(EventListSchema) {}
