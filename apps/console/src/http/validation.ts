import { BadRequestException } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { z } from 'zod';

/**
 * Validates every request body, query and path typed with a zod DTO (nestjs-zod's `createZodDto`); a bad one is
 * a 400 naming each problem, never a 500.
 */
export const ZodInputPipe = createZodValidationPipe({
  createValidationException: (error) =>
    new BadRequestException({
      message: 'Invalid request',
      problems: (error as z.ZodError).issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    }),
});
