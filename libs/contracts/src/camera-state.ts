import { z } from 'zod';

/** The retained JSON an agent publishes on `<prefix>/<site>/<camera>/state`. */
export const CameraStateSchema = z.object({
  name: z.string().min(1).max(120),
  location: z.string().max(200).nullable().optional(),
  state: z.enum(['connecting', 'online', 'stalled', 'offline']),
  reconnects: z.number().int().min(0),
  fps: z.number().min(0).max(1000).optional(),
  lastError: z.string().max(2000).nullable().optional(),
  live: z.url().optional(),
  snapshot: z.url().optional(),
  at: z.iso.datetime({ offset: true }),
});
export type CameraState = z.infer<typeof CameraStateSchema>;
