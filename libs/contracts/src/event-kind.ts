import { z } from 'zod';

/** The safety events Vigil raises. A model's labels map onto these through its card. */
export const EVENT_KINDS = ['fall', 'fire', 'smoke'] as const;
export const EventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKindSchema>;
