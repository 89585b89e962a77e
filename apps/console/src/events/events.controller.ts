import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Sse, BadRequestException, type MessageEvent } from '@nestjs/common';
import { concat, from, map, type Observable } from 'rxjs';
import { z } from 'zod';
import { EventsService } from './events.service';

const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  unacknowledged: z.enum(['true', 'false']).optional(),
});

const AckSchema = z.strictObject({
  by: z.string().trim().min(1).max(80).optional(),
  note: z.string().trim().max(1000).optional(),
});

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new BadRequestException({
      message: 'Invalid request',
      problems: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    });
  }
  return result.data;
}

@Controller('api')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('events')
  list(@Query() query: unknown) {
    const q = parse(ListQuerySchema, query);
    return { events: this.events.list({ limit: q.limit, unacknowledgedOnly: q.unacknowledged === 'true' }), sites: this.events.siteStates() };
  }

  @Get('events/:id')
  get(@Param('id') id: string) {
    const event = this.events.get(id);
    if (!event) throw new NotFoundException(`No event with id "${id}"`);
    return event;
  }

  @Post('events/:id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: unknown) {
    const ack = parse(AckSchema, body);
    const event = this.events.acknowledge(id, ack.by ?? null, ack.note ?? null);
    if (!event) throw new NotFoundException(`No event with id "${id}"`);
    return event;
  }

  /** Server-sent events: a `hello` with the site states, then one message per change. */
  @Sse('stream')
  stream(): Observable<MessageEvent> {
    const hello = from([{ type: 'hello', sites: this.events.siteStates() } as const]);
    return concat(hello, this.events.updates).pipe(map((data) => ({ data })));
  }
}
