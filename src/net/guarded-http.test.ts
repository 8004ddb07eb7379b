import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttachmentServer, startAttachmentServer } from '../../tests/support/attachment-server';
import { type DownloadError, isDownloadError } from './download-error';
import { createGuardedHttp, type GuardedHttpOptions, type Resolver } from './guarded-http';

// The download guard against real loopback servers. Addresses that must never be reached (private, link-local,
// metadata) are refused before any packet is sent, so these tests need no such network.
let files: AttachmentServer;
let other: AttachmentServer;
const bytes = new TextEncoder().encode('a resume, more or less');

beforeAll(async () => {
  files = await startAttachmentServer();
  other = await startAttachmentServer();
  files.file('/resume.txt', bytes, 'text/plain');
  other.file('/resume.txt', bytes, 'text/plain');
});
afterAll(async () => {
  await files.close();
  await other.close();
});

const testOptions: GuardedHttpOptions = {
  timeoutMs: 2_000,
  connectTimeoutMs: 1_000,
  maxRedirects: 3,
  unsafeAllowLoopbackHttp: true,
};
const loopbackHosts = ['127.0.0.1'];

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDownloadError(error)) throw new Error(`expected a DownloadError, got ${String(error)}`);
  return error;
}

describe('guarded http: what it fetches', () => {
  it('downloads an allowed file from loopback when the unsafe test setting is on', async () => {
    const http = createGuardedHttp(testOptions);
    const res = await http.request({
      url: `${files.baseUrl}/resume.txt`,
      allowedHosts: loopbackHosts,
      maxBytes: 1024,
    });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.bytes)).toBe('a resume, more or less');
  });

  it('follows a redirect within the limit, re-checking the host, and drops credentials when the host changes', async () => {
    const http = createGuardedHttp(testOptions);
    files.redirect('/hop', `${other.baseUrl}/resume.txt`);
    const before = other.requests.length;
    const res = await http.request({
      url: `${files.baseUrl}/hop`,
      headers: { authorization: 'Basic c2VjcmV0Og==' },
      allowedHosts: loopbackHosts,
      maxBytes: 1024,
    });
    expect(res.status).toBe(200);
    expect(res.redirects).toBe(1);
    expect(res.url).toBe(`${other.baseUrl}/resume.txt`);
    expect(other.requests.slice(before)[0]?.headers.authorization).toBeUndefined();
    expect(files.requests.at(-1)?.headers.authorization).toBe('Basic c2VjcmV0Og==');
  });

  it('connects to the address it checked: one lookup per hop, so a rebinding second answer is never used', async () => {
    let calls = 0;
    const rebinding: Resolver = async () => {
      calls++;
      return calls === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.7', family: 4 }];
    };
    const http = createGuardedHttp({ ...testOptions, resolve: rebinding });
    const port = new URL(files.baseUrl).port;
    const res = await http.request({
      url: `http://files.example.test:${port}/resume.txt`,
      allowedHosts: ['files.example.test'],
      maxBytes: 1024,
    });
    expect(res.status).toBe(200);
    expect(calls).toBe(1);
    expect(files.requests.at(-1)?.headers.host).toBe(`files.example.test:${port}`);
  });
});

describe('guarded http: what it refuses', () => {
  it('refuses http and non-default ports outside tests', async () => {
    const http = createGuardedHttp({ ...testOptions, unsafeAllowLoopbackHttp: false });
    expect(
      (
        await failure(
          http.request({
            url: 'http://files.example.test/r',
            allowedHosts: ['files.example.test'],
            maxBytes: 9,
          }),
        )
      ).code,
    ).toBe('scheme_not_allowed');
    expect(
      (
        await failure(
          http.request({
            url: 'https://files.example.test:8443/r',
            allowedHosts: ['files.example.test'],
            maxBytes: 9,
          }),
        )
      ).code,
    ).toBe('port_not_allowed');
    expect(
      (
        await failure(
          http.request({ url: 'file:///etc/passwd', allowedHosts: ['files.example.test'], maxBytes: 9 }),
        )
      ).code,
    ).toBe('scheme_not_allowed');
  });

  it('refuses a host that is not on the allow-list', async () => {
    const http = createGuardedHttp(testOptions);
    const error = await failure(
      http.request({
        url: `${files.baseUrl}/resume.txt`,
        allowedHosts: ['*.s3.amazonaws.com'],
        maxBytes: 1024,
      }),
    );
    expect(error.code).toBe('host_not_allowed');
    expect(error.transient).toBe(false);
  });

  it.each([
    ['private IPv4', 'http://10.0.0.1/latest', '10.0.0.1', 'private'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'link-local'],
    ['private IPv6 (unique local)', 'http://[fd00::1]/x', 'fd00::1', 'private'],
    ['link-local IPv6', 'http://[fe80::1]/x', 'fe80::1', 'link-local'],
    ['IPv4-mapped IPv6 private', 'http://[::ffff:10.0.0.1]/x', '::ffff:a00:1', 'private'],
    ['NAT64 of a private address', 'http://[64:ff9b::a00:1]/x', '64:ff9b::a00:1', 'translation'],
    ['unspecified', 'http://0.0.0.0/x', '0.0.0.0', 'unspecified'],
  ])('refuses %s even with the unsafe loopback setting on', async (_name, url, allowed, category) => {
    const http = createGuardedHttp(testOptions);
    const error = await failure(http.request({ url, allowedHosts: [allowed], maxBytes: 1024 }));
    expect(error.code).toBe('address_forbidden');
    expect(error.message).toContain(category);
  });

  it('refuses loopback in its decimal, hex and IPv6 spellings when the unsafe setting is off', async () => {
    const http = createGuardedHttp({ ...testOptions, unsafeAllowLoopbackHttp: false });
    for (const [url, allowed] of [
      ['https://2130706433/r', '127.0.0.1'],
      ['https://0x7f.1/r', '127.0.0.1'],
      ['https://127.1/r', '127.0.0.1'],
      ['https://[::1]/r', '::1'],
      ['https://[::ffff:127.0.0.1]/r', '::ffff:7f00:1'],
    ] as const) {
      const error = await failure(http.request({ url, allowedHosts: [allowed], maxBytes: 1024 }));
      expect(error.code, url).toBe('address_forbidden');
    }
  });

  it('refuses a host name that resolves to a forbidden address, after the real DNS lookup', async () => {
    const http = createGuardedHttp({ ...testOptions, unsafeAllowLoopbackHttp: false });
    // `localhost` goes through the system resolver (/etc/hosts) like any other name.
    const error = await failure(
      http.request({ url: 'https://localhost/r', allowedHosts: ['localhost'], maxBytes: 1024 }),
    );
    expect(error.code).toBe('address_forbidden');
  });

  it('refuses a name whose answers mix public and private addresses', async () => {
    const resolve: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '192.168.1.20', family: 4 },
    ];
    const http = createGuardedHttp({ ...testOptions, resolve });
    const error = await failure(
      http.request({ url: 'https://cdn.example.test/r', allowedHosts: ['cdn.example.test'], maxBytes: 1024 }),
    );
    expect(error.code).toBe('address_forbidden');
    expect(error.message).toContain('private');
  });

  it('refuses a redirect to a private or link-local address, and to a host off the allow-list', async () => {
    const http = createGuardedHttp(testOptions);
    files.redirect('/to-metadata', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    files.redirect('/to-private', 'http://10.20.30.40/internal');
    files.redirect('/to-elsewhere', 'https://attacker.example.test/collect');
    const request = (path: string) =>
      http.request({
        url: `${files.baseUrl}${path}`,
        // Even a careless allow-list that names the targets does not let the addresses through.
        allowedHosts: [...loopbackHosts, '169.254.169.254', '10.20.30.40'],
        maxBytes: 1024,
      });
    expect((await failure(request('/to-metadata'))).code).toBe('address_forbidden');
    expect((await failure(request('/to-private'))).code).toBe('address_forbidden');
    expect((await failure(request('/to-elsewhere'))).code).toBe('host_not_allowed');
  });

  it('stops after the redirect limit', async () => {
    const http = createGuardedHttp({ ...testOptions, maxRedirects: 2 });
    files.redirect('/loop', `${files.baseUrl}/loop`);
    const before = files.hits('/loop');
    const error = await failure(
      http.request({ url: `${files.baseUrl}/loop`, allowedHosts: loopbackHosts, maxBytes: 1024 }),
    );
    expect(error.code).toBe('too_many_redirects');
    expect(files.hits('/loop') - before).toBe(3);
  });

  it('stops a body over the size limit, declared or streamed, and accepts one exactly at it', async () => {
    const http = createGuardedHttp(testOptions);
    files.file('/big.pdf', new Uint8Array(5_000));
    files.chunked('/endless.pdf', 50 * 1024 * 1024);
    const get = (path: string, maxBytes: number) =>
      http.request({ url: `${files.baseUrl}${path}`, allowedHosts: loopbackHosts, maxBytes });
    expect((await failure(get('/big.pdf', 4_999))).code).toBe('too_large');
    expect((await get('/big.pdf', 5_000)).bytes.byteLength).toBe(5_000);
    const streamed = await failure(get('/endless.pdf', 100_000));
    expect(streamed.code).toBe('too_large');
    expect(streamed.transient).toBe(false);
  });

  it('gives up on a server that trickles or never answers (total deadline), as a transient failure', async () => {
    const http = createGuardedHttp({ ...testOptions, timeoutMs: 300 });
    files.trickle('/slow.pdf', 10, 50);
    files.hang('/hang.pdf');
    for (const path of ['/slow.pdf', '/hang.pdf']) {
      const error = await failure(
        http.request({ url: `${files.baseUrl}${path}`, allowedHosts: loopbackHosts, maxBytes: 1_000_000 }),
      );
      expect(error.code, path).toBe('timeout');
      expect(error.transient).toBe(true);
    }
  });

  it('gives up on a connection that never completes its TLS handshake (connect timeout)', async () => {
    const silent: Server = createServer(() => {}); // accepts TCP, never speaks TLS
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const http = createGuardedHttp({ ...testOptions, connectTimeoutMs: 200, timeoutMs: 5_000 });
      const error = await failure(
        http.request({ url: `https://127.0.0.1:${port}/r`, allowedHosts: loopbackHosts, maxBytes: 1024 }),
      );
      expect(error.code).toBe('connect_timeout');
      expect(error.transient).toBe(true);
    } finally {
      silent.close();
    }
  });

  it('reports a refused connection as transient', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = createGuardedHttp(testOptions);
    const error = await failure(
      http.request({ url: `http://127.0.0.1:${port}/r`, allowedHosts: loopbackHosts, maxBytes: 1024 }),
    );
    expect(error.code).toBe('network');
    expect(error.transient).toBe(true);
  });
});
