/**
 * Why a guarded request did not produce a response. `transient` says whether trying again later may help (a
 * timeout, a refused or reset connection, a server's 5xx) or not (a forbidden address or host, a file over the size
 * limit); webhook handlers answer the vendor 5xx or record a permanent failure accordingly.
 */
export type DownloadErrorCode =
  | 'url_invalid'
  | 'scheme_not_allowed'
  | 'port_not_allowed'
  | 'host_not_allowed'
  | 'address_forbidden'
  | 'too_many_redirects'
  | 'too_large'
  | 'connect_timeout'
  | 'timeout'
  | 'dns_failed'
  | 'network'
  | 'tls';

const transientCodes: ReadonlySet<DownloadErrorCode> = new Set([
  'connect_timeout',
  'timeout',
  'network',
  'dns_failed',
]);

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  readonly code: DownloadErrorCode;
  readonly transient: boolean;

  constructor(code: DownloadErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.transient = transientCodes.has(code);
  }
}

export const isDownloadError = (error: unknown): error is DownloadError => error instanceof DownloadError;
