import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Req, Sse, type MessageEvent } from '@nestjs/common';
import { sessionToken, type AuthedRequest } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import { RequireRole } from '../auth/roles';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiCall } from '../http/api-docs';
import { concat, endWith, from, map, takeUntil, type Observable } from 'rxjs';
import { CamerasService } from '../cameras/cameras.service';
import { ConsoleEventDto, EventListDto, ListQueryDto, NoteDto } from './event.schemas';
import { EventsService } from './events.service';
import { LiveUpdates } from './live-updates';

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
  @ApiOkResponse({ type: EventListDto.Output })
  @Get('events')
  list(@Query() query: ListQueryDto) {
    const { unacknowledged, ...filters } = query;
    return { events: this.events.list({ ...filters, unacknowledgedOnly: unacknowledged === 'true' }), sites: this.cameras.siteStates() };
  }

  @ApiCall('One event with its explanation, media and score timeline')
  @ApiOkResponse({ type: ConsoleEventDto.Output })
  @Get('events/:id')
  get(@Param('id') id: string) {
    return found(id, this.events.get(id));
  }

  @RequireRole('operator')
  @ApiCall('Acknowledge an event (operator); the first acknowledgement stands')
  @ApiOkResponse({ type: ConsoleEventDto.Output })
  @Post('events/:id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() { note }: NoteDto, @Req() req: AuthedRequest) {
    return found(id, this.events.acknowledge(id, req.user?.username ?? null, note ?? null));
  }

  @RequireRole('operator')
  @ApiCall('Resolve an event with a note (operator)')
  @ApiOkResponse({ type: ConsoleEventDto.Output })
  @Post('events/:id/resolve')
  @HttpCode(200)
  resolve(@Param('id') id: string, @Body() { note }: NoteDto, @Req() req: AuthedRequest) {
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
