import type { Hook } from '@hono/zod-openapi';
import { AppError } from '../core/app-error';

/** One shape for every validation failure: a 400 whose message names the first bad field. */
// biome-ignore lint/suspicious/noExplicitAny: Hook's type parameters are the library's; the hook works for every route.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const first = issues[0] ?? { field: '(body)', message: 'invalid' };
  throw new AppError('bad_request', 'invalid_request', `Invalid ${first.field}: ${first.message}.`, {
    details: { field: first.field, issues },
  });
};
