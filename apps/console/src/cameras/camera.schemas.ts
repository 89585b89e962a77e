import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** A camera as its agent last reported it, and when the console last saw it online. */
export const ConsoleCameraSchema = z.object({
  site: z.string(),
  id: z.string(),
  name: z.string(),
  location: z.string().nullable(),
  state: z.string().describe('connecting, online, stalled or offline'),
  online: z.boolean(),
  reconnects: z.number(),
  fps: z.number().nullable().describe('frames analysed per second'),
  lastError: z.string().nullable(),
  live: z.string().nullable().describe("the agent's live view (MJPEG) through the console"),
  snapshot: z.string().nullable(),
  updatedAt: z.string(),
  lastSeenAt: z.string().nullable(),
});
export type ConsoleCamera = z.output<typeof ConsoleCameraSchema>;

export class CameraListDto extends createZodDto(z.object({ cameras: z.array(ConsoleCameraSchema) })) {}
