import { z } from 'zod';
import { EVENT_SCHEMA_ID, EventMessageSchema } from './event-message';

/**
 * JSON Schemas (draft 2020-12) of the payloads on the wire, generated from the zod contracts, for integrators
 * who do not use TypeScript. Committed under libs/contracts/schemas/ and checked against this output by a test.
 */
export function contractJsonSchemas(): Record<string, object> {
  const event = z.toJSONSchema(EventMessageSchema, { target: 'draft-2020-12', io: 'output' });
  return {
    'vigil.event-2.schema.json': {
      ...event,
      $id: `https://vigil.example/schemas/${EVENT_SCHEMA_ID.replace('/', '-')}.schema.json`,
      title: `${EVENT_SCHEMA_ID}: one message about one event on <prefix>/<site>/events`,
    },
  };
}
