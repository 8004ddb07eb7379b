import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { type AddressPolicy, forbiddenCategory, unbracket } from './address-policy';
import { DownloadError } from './download-error';
import { hostAllowed } from './host-allowlist';

/**
 * The only way Vetline fetches a URL it was handed by someone else (an ATS attachment link, a vendor API). Guards,
 * per hop: https only; the host on the caller's allow-list; the default port; every address the host resolves to
 * checked against the address policy, and the socket connected to exactly those checked addresses (our `lookup`
 * hands the checked result to the socket, so a second, rebinding DNS answer is never used; the connected
 * `remoteAddress` is checked again). Redirects are followed by hand, a limited number of times, each hop re-checked,
 * and credentials are dropped when a redirect leaves the first host. The body is streamed and cut off at `maxBytes`;
 * a connect timeout and a total deadline bound the time.
 */
export interface GuardedRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Host patterns (see `host-allowlist.ts`) the first request and every redirect may go to. */
  allowedHosts: readonly string[];
  maxBytes: number;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Uint8Array;
  /** Where the body came from, after redirects. */
  url: string;
  redirects: number;
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface GuardedHttpOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxRedirects: number;
  /** `VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP`: http and loopback (any port) for tests. Never private addresses. */
  unsafeAllowLoopbackHttp: boolean;
  /** DNS resolution; the system resolver by default. Tests inject one to play a hostile DNS. */
  resolve?: Resolver;
}

export interface GuardedHttp {
  request(request: GuardedRequest): Promise<GuardedResponse>;
}

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });
const sensitiveHeaders = ['authorization', 'cookie', 'proxy-authorization'];

export function createGuardedHttp(options: GuardedHttpOptions): GuardedHttp {
  const policy: AddressPolicy = { allowLoopback: options.unsafeAllowLoopbackHttp };
  const resolve = options.resolve ?? systemResolver;

  return {
    async request(request) {
      const deadline = Date.now() + options.timeoutMs;
      const firstHost = safeUrl(request.url).host;
      let url = request.url;
      let method = request.method ?? 'GET';
      let headers = { ...request.headers };
      for (let redirects = 0; ; redirects++) {
        const target = checkUrl(url, request.allowedHosts, options.unsafeAllowLoopbackHttp, policy);
        const response = await oneHop(target, method, headers, request, deadline, options, policy, resolve);
        const location = response.headers.location;
        if (!isRedirect(response.status) || !location || method !== 'GET')
          return { ...response, url, redirects };
        if (redirects >= options.maxRedirects) {
          throw new DownloadError('too_many_redirects', `More than ${options.maxRedirects} redirects.`);
        }
        url = new URL(location, target).toString();
        if (safeUrl(url).host !== firstHost) {
          headers = Object.fromEntries(
            Object.entries(headers).filter(([k]) => !sensitiveHeaders.includes(k.toLowerCase())),
          );
        }
        method = 'GET';
      }
    },
  };
}

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

function safeUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch (error) {
    throw new DownloadError('url_invalid', 'The URL is not valid.', { cause: error });
  }
}

/** Everything that can be decided from the URL alone, before any packet is sent. */
function checkUrl(raw: string, allowedHosts: readonly string[], unsafe: boolean, policy: AddressPolicy): URL {
  const url = safeUrl(raw);
  if (url.protocol !== 'https:' && !(unsafe && url.protocol === 'http:')) {
    throw new DownloadError('scheme_not_allowed', `Only https URLs are fetched, not ${url.protocol}.`);
  }
  if (url.username || url.password)
    throw new DownloadError('url_invalid', 'URLs with credentials are refused.');
  if (!unsafe && url.port !== '') throw new DownloadError('port_not_allowed', 'Only the default https port.');
  if (!hostAllowed(url.hostname, allowedHosts)) {
    throw new DownloadError('host_not_allowed', `The host ${url.hostname} is not on the allow-list.`);
  }
  const literal = unbracket(url.hostname);
  if (isIP(literal)) {
    // The socket skips DNS for an IP literal (decimal and hex forms are already normalised by the URL parser).
    const forbidden = forbiddenCategory(literal, policy);
    if (forbidden) throw new DownloadError('address_forbidden', `The address is ${forbidden}.`);
  }
  return url;
}

function guardedLookup(resolve: Resolver, policy: AddressPolicy): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const wanted =
          lookupOptions.family === 6 || lookupOptions.family === 'IPv6'
            ? 6
            : lookupOptions.family === 4 || lookupOptions.family === 'IPv4'
              ? 4
              : 0;
        const found = addresses.filter((a) => wanted === 0 || a.family === wanted);
        if (found.length === 0) {
          callback(new DownloadError('dns_failed', `${hostname} did not resolve.`), '', 4);
          return;
        }
        // One forbidden answer refuses the host: a name that mixes public and private addresses is not trusted.
        for (const { address } of found) {
          const forbidden = forbiddenCategory(address, policy);
          if (forbidden) {
            callback(
              new DownloadError('address_forbidden', `${hostname} resolves to a ${forbidden} address.`),
              '',
              4,
            );
            return;
          }
        }
        if (lookupOptions.all) callback(null, found);
        else callback(null, found[0]?.address ?? '', found[0]?.family ?? 4);
      },
      (error: unknown) =>
        callback(new DownloadError('dns_failed', `${hostname} did not resolve.`, { cause: error }), '', 4),
    );
  };
}

function oneHop(
  url: URL,
  method: string,
  headers: Record<string, string>,
  request: GuardedRequest,
  deadline: number,
  options: GuardedHttpOptions,
  policy: AddressPolicy,
  resolve: Resolver,
): Promise<Omit<GuardedResponse, 'url' | 'redirects'>> {
  return new Promise((resolvePromise, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const fail = (error: DownloadError) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      req.destroy();
      reject(error);
    };
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const req = transport.request(url, {
      method,
      headers: { ...headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
      agent: false,
      lookup: guardedLookup(resolve, policy),
    });
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      fail(new DownloadError('timeout', 'The download took too long.'));
      return;
    }
    timers.push(
      setTimeout(() => fail(new DownloadError('timeout', 'The download took too long.')), remaining),
    );
    const connectTimer = setTimeout(
      () => fail(new DownloadError('connect_timeout', 'The connection took too long.')),
      Math.min(options.connectTimeoutMs, remaining),
    );
    timers.push(connectTimer);

    req.on('socket', (socket: Socket) => {
      const connectedEvent = url.protocol === 'https:' ? 'secureConnect' : 'connect';
      socket.once('connect', () => {
        // Belt and braces: whatever path led here, the peer we reached must pass the policy.
        const forbidden = forbiddenCategory(socket.remoteAddress ?? '', policy);
        if (forbidden) fail(new DownloadError('address_forbidden', `Connected to a ${forbidden} address.`));
      });
      socket.once(connectedEvent, () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => fail(toDownloadError(error)));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (isRedirect(status) && res.headers.location) {
        res.resume();
        settled = true;
        for (const t of timers) clearTimeout(t);
        req.destroy();
        resolvePromise({ status, headers: res.headers, bytes: new Uint8Array() });
        return;
      }
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      const tooLarge = () =>
        new DownloadError('too_large', `The response is larger than ${request.maxBytes} bytes.`);
      if (Number.isFinite(declared) && declared > request.maxBytes) {
        fail(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > request.maxBytes) fail(tooLarge());
        else chunks.push(chunk);
      });
      res.on('error', (error) => fail(toDownloadError(error)));
      res.on('aborted', () => fail(new DownloadError('network', 'The connection was cut mid-response.')));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        resolvePromise({ status, headers: res.headers, bytes: new Uint8Array(Buffer.concat(chunks)) });
      });
    });
    req.end(body);
  });
}

function toDownloadError(error: unknown): DownloadError {
  if (error instanceof DownloadError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new DownloadError('dns_failed', 'DNS failed.', { cause: error });
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) {
    return new DownloadError('tls', 'The TLS handshake failed.', { cause: error });
  }
  return new DownloadError('network', `The connection failed (${code || 'unknown'}).`, { cause: error });
}
