import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Req, Sse, type MessageEvent } from '@nestjs/common';
import { EVENT_KINDS } from '@vigil/contracts';
import { sessionToken, type AuthedRequest } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import { RequireRole } from '../auth/roles';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiCall } from '../http/api-docs';
import { concat, endWith, from, map, takeUntil, type Observable } from 'rxjs';
import { z } from 'zod';
import { parseInput } from '../common/parse-input';
import { CamerasService } from '../cameras/cameras.service';
import { EventsService } from './events.service';
import { LiveUpdates } from './live-updates';

export const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  unacknowledged: z.enum(['true', 'false']).optional(),
  site: z.string().max(64).optional(),
  camera: z.string().max(64).optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  state: z.enum(['active', 'ended', 'unacknowledged', 'acknowledged', 'resolved']).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});

export const NoteSchema = z.strictObject({
  note: z.string().trim().max(1000).optional(),
});

function found<T>(id: string, event: T | undefined): T {
  if (!event) throw new NotFoundException(`No event with id "${id}"`);
  return event;
}

@ApiTags('events')
@Controller('api')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly cameras: CamerasService,
    private readonly live: LiveUpdates,
    private readonly auth: AuthService,
  ) {}

  @ApiCall('List events, unacknowledged first, newest first; filter by site, camera, kind, state and time')
  @ApiQuery({ name: 'kind', required: false, enum: EVENT_KINDS })
  @ApiQuery({ name: 'state', required: false, enum: ['active', 'ended', 'unacknowledged', 'acknowledged', 'resolved'] })
  @ApiQuery({ name: 'site', required: false })
  @ApiQuery({ name: 'camera', required: false })
  @ApiQuery({ name: 'since', required: false, description: 'ISO time' })
  @ApiQuery({ name: 'until', required: false, description: 'ISO time' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 200' })
  @Get('events')
  list(@Query() query: unknown) {
    const q = parseInput(ListQuerySchema, query);
    const { unacknowledged, ...filters } = q;
    return { events: this.events.list({ ...filters, unacknowledgedOnly: unacknowledged === 'true' }), sites: this.cameras.siteStates() };
  }

  @ApiCall('One event with its explanation, media and score timeline')
  @Get('events/:id')
  get(@Param('id') id: string) {
    return found(id, this.events.get(id));
  }

  @RequireRole('operator')
  @ApiCall('Acknowledge an event (operator); the first acknowledgement stands', { body: NoteSchema })
  @Post('events/:id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthedRequest) {
    const { note } = parseInput(NoteSchema, body);
    return found(id, this.events.acknowledge(id, req.user?.username ?? null, note ?? null));
  }

  @RequireRole('operator')
  @ApiCall('Resolve an event with a note (operator)', { body: NoteSchema })
  @Post('events/:id/resolve')
  @HttpCode(200)
  resolve(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthedRequest) {
    const { note } = parseInput(NoteSchema, body);
    return found(id, this.events.resolve(id, req.user?.username ?? null, note ?? null));
  }

  /**
   * Server-sent events: a `hello` with the site states, then one message per change, until the session ends
   * (sign-out or expiry): then a `signed-out` message and the stream closes.
   */
  @ApiCall('Live updates (server-sent events): hello, then event, camera and site changes; signed-out, then closed, when the session ends')
  @Sse('stream')
  stream(@Req() req: AuthedRequest): Observable<MessageEvent> {
    const hello = from([{ type: 'hello', sites: this.cameras.siteStates() } as const]);
    return concat(hello, this.live.updates).pipe(
      takeUntil(this.auth.sessionEnds(sessionToken(req))),
      endWith({ type: 'signed-out' } as const),
      map((data) => ({ data })),
    );
  }
}
