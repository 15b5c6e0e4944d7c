import { z } from 'zod';
import { profileIds } from '../domain/profiles.js';

export class InvalidTaskInputError extends Error {
  override readonly name = 'InvalidTaskInputError';
}

/** Validates what the workflow hands a task; a mismatch is a bug in the ASL, not bad user input. */
export function parseTaskInput<S extends z.ZodType>(schema: S, event: unknown): z.output<S> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new InvalidTaskInputError(`Invalid task input: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const caseIdSchema = z.string().uuid();
export const profileIdSchema = z.enum(profileIds);
export const objectKeySchema = z.string().min(1).max(512);
export const taskTokenSchema = z.string().min(1).max(8192);
