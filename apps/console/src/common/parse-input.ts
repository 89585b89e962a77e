import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Validates request input; a bad one is a 400 naming each problem, never a 500. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new BadRequestException({
      message: 'Invalid request',
      problems: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    });
  }
  return result.data;
}
