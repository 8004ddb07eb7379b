import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger, LogLevel } from '../core/logger';
import { maskSecrets } from '../core/logger';

/** Our levels in Powertools' names; `silent` maps to Powertools' own. */
const levels = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  silent: 'SILENT',
} as const satisfies Record<LogLevel, string>;

/** The service name in every log line and metric: one per function (`vetline-api`, `vetline-worker`, ...). */
export function createPowertoolsLogger(serviceName: string, level: LogLevel): PowertoolsLogger {
  return new PowertoolsLogger({ serviceName, logLevel: levels[level] });
}

/**
 * Our `Logger` on top of Powertools' (JSON on stdout, with the Lambda context, cold start and X-Ray trace id that
 * CloudWatch Logs Insights queries by). Fields go through the same `maskSecrets` as locally, so a key that names a
 * secret is masked whatever logs it; candidate material is never passed to a logger in the first place.
 */
export function powertoolsLogger(base: PowertoolsLogger): Logger {
  const emit = (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => {
    const masked = fields ? (maskSecrets(fields) as Record<string, unknown>) : undefined;
    if (masked) base[level](message, masked);
    else base[level](message);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) =>
      powertoolsLogger(base.createChild({ persistentKeys: maskSecrets(fields) as Record<string, unknown> })),
  };
}
