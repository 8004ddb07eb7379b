import { isDownloadError } from '../net/download-error';
import type { GuardedResponse } from '../net/guarded-http';
import { basicAuth, type FetchContext, ResumeFetchError } from './vendor';

/**
 * Follow-up calls to a vendor's API and resume downloads, both through the guarded client. Failures become
 * `ResumeFetchError`s that say whether the vendor should retry the delivery.
 */
const apiResponseLimit = 2 * 1024 * 1024;

async function guarded(run: () => Promise<GuardedResponse>, what: string): Promise<GuardedResponse> {
  try {
    return await run();
  } catch (error) {
    if (!isDownloadError(error)) throw error;
    const code = error.code === 'too_large' ? 'file_too_large' : `${what}_${error.code}`;
    throw new ResumeFetchError(code, error.message, error.transient, { cause: error });
  }
}

function checkStatus(res: GuardedResponse, what: 'vendor_api' | 'attachment'): void {
  const { status } = res;
  if (status >= 200 && status < 300) return;
  if (status === 429 || status >= 500) {
    throw new ResumeFetchError(`${what}_unavailable`, `The ${label(what)} answered ${status}.`, true);
  }
  if (what === 'vendor_api' && (status === 401 || status === 403)) {
    // Our configuration, not the delivery: once an admin fixes the key, the vendor's retries go through.
    throw new ResumeFetchError('vendor_api_auth', `The vendor API refused the API key (${status}).`, true);
  }
  throw new ResumeFetchError(`${what}_refused`, `The ${label(what)} answered ${status}.`, false);
}

const label = (what: 'vendor_api' | 'attachment') => (what === 'vendor_api' ? 'vendor API' : 'file server');

/** A JSON call to the organisation's configured API base URL, with its API key as the Basic user name. */
export async function callVendorApi(
  context: FetchContext,
  call: { method: 'GET' | 'POST'; path: string; body?: unknown },
): Promise<unknown> {
  const { integration, http } = context;
  if (!integration.apiBaseUrl || !integration.apiKey) {
    throw new ResumeFetchError('integration_incomplete', 'The integration has no API base URL or key.', true);
  }
  const url = `${integration.apiBaseUrl}${call.path}`;
  const res = await guarded(
    () =>
      http.request({
        url,
        method: call.method,
        headers: {
          authorization: basicAuth(integration.apiKey ?? ''),
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        allowedHosts: [new URL(integration.apiBaseUrl ?? url).hostname],
        maxBytes: apiResponseLimit,
      }),
    'vendor_api',
  );
  checkStatus(res, 'vendor_api');
  try {
    return JSON.parse(new TextDecoder().decode(res.bytes));
  } catch (error) {
    throw new ResumeFetchError(
      'vendor_api_malformed',
      'The vendor API answered something other than JSON.',
      false,
      {
        cause: error,
      },
    );
  }
}

/**
 * Downloads a resume. `withApiKey` sends the organisation's key (Lever's download endpoint is on its API host); the
 * guarded client drops it if a redirect leaves that host.
 */
export async function downloadResume(
  context: FetchContext,
  url: string,
  options: { withApiKey: boolean; extraHosts?: string[] },
): Promise<Uint8Array> {
  const { integration, http, maxBytes } = context;
  const res = await guarded(
    () =>
      http.request({
        url,
        headers:
          options.withApiKey && integration.apiKey ? { authorization: basicAuth(integration.apiKey) } : {},
        allowedHosts: [...integration.allowedDownloadHosts, ...(options.extraHosts ?? [])],
        maxBytes,
      }),
    'attachment',
  );
  checkStatus(res, 'attachment');
  if (res.bytes.byteLength === 0)
    throw new ResumeFetchError('attachment_empty', 'The resume file is empty.', false);
  return res.bytes;
}
