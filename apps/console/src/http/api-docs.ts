import { applyDecorators } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';

/**
 * One API operation: summary and the auth answers it may give. Request bodies and queries are documented from
 * their zod DTOs (nestjs-zod), the same schemas that validate them.
 */
export function ApiCall(summary: string, options: { auth?: boolean } = {}) {
  const decorators = [ApiOperation({ summary })];
  if (options.auth !== false) {
    decorators.push(
      ApiCookieAuth('vigil_session'),
      ApiUnauthorizedResponse({ description: 'not signed in' }),
      ApiForbiddenResponse({ description: 'the role is too low' }),
    );
  }
  return applyDecorators(...decorators);
}
