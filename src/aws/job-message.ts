import { z } from 'zod';
import type { ScreeningJob } from '../queue/job-queue';

/** The body of a job message as `SqsJobQueue` writes it: ids only. Parsed, never cast, on the way out of SQS. */
export const JobMessage = z.object({
  orgId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  screeningId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
}) satisfies z.ZodType<ScreeningJob>;

/** A message no delivery can ever process. Reported as a batch item failure every time, so SQS dead-letters it. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

export function parseJobMessage(body: string): ScreeningJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('the message body is not JSON');
  }
  const parsed = JobMessage.safeParse(raw);
  if (!parsed.success) {
    throw new PoisonMessageError(
      `the message is not a screening job: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`,
    );
  }
  return parsed.data;
}
