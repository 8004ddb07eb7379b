import { expect } from 'vitest';
import type { ScreeningStatus } from '../../src/screening/screening';

export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export function resumeForm(
  bytes: Uint8Array,
  filename: string,
  fields: Record<string, string> = { candidateName: 'Test Candidate' },
): FormData {
  const form = new FormData();
  form.set('resume', new File([bytes], filename));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

/** Polls `GET /v1/screenings/{id}` until the status is one of `until`, or fails the test after `timeoutMs`. */
export async function waitForStatus(
  fetcher: Fetcher,
  token: string,
  id: string,
  until: ScreeningStatus[],
  timeoutMs = 20_000,
): Promise<Record<string, unknown> & { screening: { status: ScreeningStatus } }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await fetcher(`/v1/screenings/${id}`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { screening: { status: ScreeningStatus } };
    last = body.screening.status;
    if (until.includes(body.screening.status)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`screening ${id} stayed ${String(last)}; wanted ${until.join('|')}`);
}
