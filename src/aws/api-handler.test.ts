import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiEvent, lambdaContext } from '../../tests/support/aws/lambda-events';
import { type LambdaStack, startLambdaStack } from '../../tests/support/aws/lambda-stack';
import { corpusResumes } from '../../tests/support/resumes';
import { type ApiHandler, createApiHandler } from './api-handler';
import { noDrafter } from './no-drafter';
import { createPowertoolsLogger } from './powertools-logger';

// The API function's handler as Lambda calls it: payload-format-2.0 events (API Gateway HTTP API and Function URL),
// DynamoDB Local, s3rver for the uploads, the SQS wire for the jobs. No extractor, as on AWS.
let stack: LambdaStack;
let handler: ApiHandler;
let tokens: Record<'recruiter' | 'reviewer' | 'admin', string>;

beforeAll(async () => {
  stack = await startLambdaStack();
  const { services } = await stack.build({ extract: null, drafter: noDrafter });
  ({ tokens } = await stack.newOrg(services));
  handler = createApiHandler(services, createPowertoolsLogger('vetline-api', 'silent'));
});
afterAll(() => stack.close());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('the API function', () => {
  it('answers a Function URL event and an API Gateway event alike', async () => {
    for (const source of ['api-gateway', 'function-url'] as const) {
      const res = await handler(await httpApiEvent('GET', '/healthz', { source }), lambdaContext('api'));
      expect(res.statusCode).toBe(200);
      expect(json(res.body)).toEqual({ ok: true });
    }
  });

  it('uses API Gateway’s request id as the request id, unless the caller sent one', async () => {
    const event = await httpApiEvent('GET', '/healthz');
    const res = await handler(event, lambdaContext('api'));
    expect(res.headers?.['x-request-id']).toBe(event.requestContext.requestId);
    const own = await handler(
      await httpApiEvent('GET', '/healthz', { headers: { 'x-request-id': 'client-chosen-42' } }),
      lambdaContext('api'),
    );
    expect(own.headers?.['x-request-id']).toBe('client-chosen-42');
  });

  it('takes a multipart PDF upload (base64 body), stores it in S3 and queues one job on SQS', async () => {
    const pdf = corpusResumes().find((r) => r.name.endsWith('.pdf'));
    if (!pdf) throw new Error('no PDF in the corpus');
    const form = new FormData();
    form.set('resume', new File([pdf.bytes], pdf.name));
    form.set('candidateName', 'Corpus Candidate');
    const before = stack.sqs.sent.length;
    const res = await handler(
      await httpApiEvent('POST', '/v1/screenings', { headers: auth(tokens.recruiter), body: form }),
      lambdaContext('api'),
    );
    expect(res.statusCode).toBe(202);
    const { id } = json(res.body) as { id: string };
    expect(stack.sqs.sent.slice(before).map((m) => JSON.parse(m.body))).toEqual([
      { orgId: expect.any(String), screeningId: id },
    ]);

    const got = await handler(
      await httpApiEvent('GET', `/v1/screenings/${id}`, { headers: auth(tokens.reviewer) }),
      lambdaContext('api'),
    );
    expect(got.statusCode).toBe(200);
    const detail = json(got.body) as {
      screening: { status: string };
      submissions: Array<{ textKey?: string | null; charCount: number | null }>;
    };
    // Queued, not yet read: the API has no extractor; the worker extracts.
    expect(detail.screening.status).toBe('queued');
    expect(detail.submissions[0]?.charCount).toBeNull();
  });

  it('still refuses a disguised file type at once (typing needs no parser)', async () => {
    const form = new FormData();
    const png = new Uint8Array(4096);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    form.set('resume', new File([png], 'resume.pdf'));
    const res = await handler(
      await httpApiEvent('POST', '/v1/screenings', { headers: auth(tokens.recruiter), body: form }),
      lambdaContext('api'),
    );
    expect(res.statusCode).toBe(415);
  });

  it('answers 401 without a token and 404 for an unknown route, as JSON', async () => {
    const anon = await handler(
      await httpApiEvent('GET', '/v1/screenings?status=drafted'),
      lambdaContext('api'),
    );
    expect(anon.statusCode).toBe(401);
    const missing = await handler(await httpApiEvent('GET', '/nope'), lambdaContext('api'));
    expect(missing.statusCode).toBe(404);
    expect(json(missing.body)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves the OpenAPI document and the docs page from the same function', async () => {
    const spec = await handler(await httpApiEvent('GET', '/openapi.json'), lambdaContext('api'));
    expect(json(spec.body)).toMatchObject({ openapi: '3.1.0' });
    const docs = await handler(await httpApiEvent('GET', '/docs'), lambdaContext('api'));
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('Vetline API');
  });
});
