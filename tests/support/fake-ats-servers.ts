import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Fake Lever and Ashby APIs on loopback, speaking the documented shapes the webhook modules call: Lever's
 * `GET /v1/opportunities/{id}` (404 unless set), `GET /v1/opportunities/{id}/resumes` and `.../resumes/{id}/download`; Ashby's `POST /candidate.info` and
 * `POST /file.info`. Both check Basic auth with the API key as the user name and an empty password, count calls,
 * and fail on demand.
 */
interface FakeApi {
  baseUrl: string;
  calls: Array<{ method: string; path: string; authorization: string | undefined; body: string }>;
  /** The next `times` calls answer `status`. */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export interface FakeLever extends FakeApi {
  /** Resumes of an opportunity: each downloads `bytes`, or answers `downloadStatus` (Lever's 422), or redirects. */
  setResumes(
    opportunityId: string,
    resumes: Array<{
      id: string;
      name: string;
      createdAt: number;
      bytes?: Uint8Array;
      downloadStatus?: number;
      redirectTo?: string;
    }>,
  ): void;
  /** The opportunity's contact details as `GET /v1/opportunities/{id}` answers them (`data` as given). */
  setOpportunity(opportunityId: string, data: Record<string, unknown>): void;
}

export interface FakeAshby extends FakeApi {
  /** A candidate and its resume: `url` is what `file.info` answers (an attachment server URL, or anything hostile). */
  setCandidate(candidateId: string, resume: { handle: string; name: string; url: string } | null): void;
}

async function startFakeApi(
  apiKey: string,
  route: (req: IncomingMessage, res: ServerResponse, path: string, body: string) => void,
): Promise<FakeApi & { server: Server }> {
  const calls: FakeApi['calls'] = [];
  let failure = { status: 0, times: 0 };
  const expected = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      if (failure.times > 0) {
        failure.times--;
        json(res, failure.status, { message: 'failure on demand' });
        return;
      }
      if (req.headers.authorization !== expected) {
        json(res, 401, { code: 'Unauthorized', message: 'Invalid API key' });
        return;
      }
      route(req, res, path, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    failNext(status, times = 1) {
      failure = { status, times };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export async function startFakeLever(apiKey: string): Promise<FakeLever> {
  const opportunities = new Map<string, Parameters<FakeLever['setResumes']>[1]>();
  const contacts = new Map<string, Record<string, unknown>>();
  const api = await startFakeApi(apiKey, (req, res, path) => {
    const opportunity = /^\/v1\/opportunities\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && opportunity?.[1]) {
      const data = contacts.get(decodeURIComponent(opportunity[1]));
      if (!data) return json(res, 404, { code: 'ResourceNotFound', message: 'No such opportunity' });
      return json(res, 200, { data: { id: decodeURIComponent(opportunity[1]), ...data } });
    }
    const list = /^\/v1\/opportunities\/([^/]+)\/resumes$/.exec(path);
    const download = /^\/v1\/opportunities\/([^/]+)\/resumes\/([^/]+)\/download$/.exec(path);
    if (req.method === 'GET' && list?.[1]) {
      const resumes = opportunities.get(decodeURIComponent(list[1])) ?? [];
      json(res, 200, {
        data: resumes.map((r) => ({
          id: r.id,
          createdAt: r.createdAt,
          file: { name: r.name, ext: r.name.split('.').pop(), uploadedAt: r.createdAt, status: 'processed' },
        })),
        hasNext: false,
      });
      return;
    }
    if (req.method === 'GET' && download?.[1] && download[2]) {
      const resume = opportunities.get(decodeURIComponent(download[1]))?.find((r) => r.id === download[2]);
      if (!resume) return json(res, 404, { code: 'ResourceNotFound', message: 'No such resume' });
      if (resume.redirectTo) return void res.writeHead(302, { location: resume.redirectTo }).end();
      if (resume.downloadStatus) return json(res, resume.downloadStatus, { code: 'UnprocessableEntity' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(resume.bytes ?? []));
      return;
    }
    json(res, 404, { code: 'ResourceNotFound', message: 'No such route' });
  });
  return {
    ...api,
    setResumes(opportunityId, resumes) {
      opportunities.set(opportunityId, resumes);
    },
    setOpportunity(opportunityId, data) {
      contacts.set(opportunityId, data);
    },
  };
}

export async function startFakeAshby(apiKey: string): Promise<FakeAshby> {
  const candidates = new Map<string, Parameters<FakeAshby['setCandidate']>[1]>();
  const handles = new Map<string, string>();
  const api = await startFakeApi(apiKey, (req, res, path, body) => {
    const input = (() => {
      try {
        return JSON.parse(body) as Record<string, unknown>;
      } catch {
        return {};
      }
    })();
    if (req.method === 'POST' && path === '/candidate.info') {
      const id = String(input.candidateId ?? '');
      if (!candidates.has(id)) return json(res, 200, { success: false, errors: ['candidate_not_found'] });
      const resume = candidates.get(id);
      return json(res, 200, {
        success: true,
        results: {
          id,
          name: 'Ada Lovelace',
          resumeFileHandle: resume
            ? { id: `fh-${resume.handle}`, name: resume.name, handle: resume.handle }
            : null,
        },
      });
    }
    if (req.method === 'POST' && path === '/file.info') {
      const url = handles.get(String(input.fileHandle ?? ''));
      if (!url) return json(res, 200, { success: false, errors: ['file_not_found'] });
      return json(res, 200, { success: true, results: { url } });
    }
    json(res, 404, { success: false, errors: ['no such endpoint'] });
  });
  return {
    ...api,
    setCandidate(candidateId, resume) {
      candidates.set(candidateId, resume);
      if (resume) handles.set(resume.handle, resume.url);
    },
  };
}
