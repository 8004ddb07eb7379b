import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local file server on loopback for attachment downloads, with the misbehaviours the download guard must survive:
 * files of any size (with or without Content-Length), a server that trickles bytes, one that never answers, failures
 * on demand, and redirects anywhere (to itself, or to a private address). It counts hits per path, so tests can
 * prove a redelivery never downloaded again.
 */
export interface AttachmentServer {
  baseUrl: string;
  /** Serves `bytes` at `path` (e.g. `/files/resume.pdf`). */
  file(path: string, bytes: Uint8Array, contentType?: string): string;
  /** Answers `status` for the next `times` requests to `path`, then serves normally. */
  failNext(path: string, status: number, times?: number): void;
  /** Answers at `path` with a redirect to `location`. */
  redirect(path: string, location: string, status?: number): string;
  /** Sends `totalBytes` without Content-Length, in 16 KiB chunks. */
  chunked(path: string, totalBytes: number): string;
  /** Sends `chunkBytes` every `intervalMs`, forever (until the client gives up). */
  trickle(path: string, chunkBytes: number, intervalMs: number): string;
  /** Accepts the request and never answers. */
  hang(path: string): string;
  hits(path: string): number;
  requests: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startAttachmentServer(): Promise<AttachmentServer> {
  const routes = new Map<string, Handler>();
  const failures = new Map<string, { status: number; times: number }>();
  const hitCounts = new Map<string, number>();
  const requests: AttachmentServer['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hitCounts.set(path, (hitCounts.get(path) ?? 0) + 1);
    requests.push({ path, headers: req.headers });
    const failure = failures.get(path);
    if (failure && failure.times > 0) {
      failure.times--;
      res.writeHead(failure.status, { 'content-type': 'text/plain' }).end('failure on demand');
      return;
    }
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    requests,
    file(path, bytes, contentType = 'application/octet-stream') {
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.byteLength) });
        res.end(Buffer.from(bytes));
      });
      return `${baseUrl}${path}`;
    },
    failNext(path, status, times = 1) {
      failures.set(path, { status, times });
    },
    redirect(path, location, status = 302) {
      routes.set(path, (_req, res) => {
        res.writeHead(status, { location }).end();
      });
      return `${baseUrl}${path}`;
    },
    chunked(path, totalBytes) {
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        let sent = 0;
        const chunk = Buffer.alloc(16 * 1024, 0x41);
        const pump = () => {
          while (sent < totalBytes) {
            const n = Math.min(chunk.byteLength, totalBytes - sent);
            sent += n;
            if (!res.write(chunk.subarray(0, n))) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => {});
        pump();
      });
      return `${baseUrl}${path}`;
    },
    trickle(path, chunkBytes, intervalMs) {
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        const timer = setInterval(() => {
          if (res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          res.write(Buffer.alloc(chunkBytes, 0x42));
        }, intervalMs);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
      });
      return `${baseUrl}${path}`;
    },
    hang(path) {
      routes.set(path, () => {});
      return `${baseUrl}${path}`;
    },
    hits: (path) => hitCounts.get(path) ?? 0,
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
