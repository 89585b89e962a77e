import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiForbiddenResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';

type Schema = Parameters<typeof ApiBody>[0] extends infer O ? (O extends { schema?: infer S } ? S : never) : never;

/** The JSON Schema of a zod input, for the OpenAPI document (the same schema validates the request). */
export function zodSchema(schema: z.ZodType): Schema {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return json as Schema;
}

/** One API operation: summary, request body schema if any, and the auth answers it may give. */
export function ApiCall(summary: string, options: { body?: z.ZodType; auth?: boolean } = {}) {
  const decorators = [ApiOperation({ summary })];
  if (options.body) decorators.push(ApiBody({ schema: zodSchema(options.body) }));
  if (options.auth !== false) {
    decorators.push(
      ApiCookieAuth('vigil_session'),
      ApiUnauthorizedResponse({ description: 'not signed in' }),
      ApiForbiddenResponse({ description: 'the role is too low' }),
    );
  }
  return applyDecorators(...decorators);
}
