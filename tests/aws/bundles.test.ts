import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundleFunction } from '../../scripts/bundle-functions';
import { noDrafter } from '../../src/aws/no-drafter';
import { loadConfig } from '../../src/core/config';
import { loadRubric } from '../../src/rubric/rubric';
import { httpApiEvent, sqsEvent, sqsRecord } from '../support/aws/lambda-events';
import { type LambdaStack, startLambdaStack } from '../support/aws/lambda-stack';
import { invokeBundle, sstEnvironment } from '../support/aws/run-bundle';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai-server';
import { corpusResumes, repoRoot, seniorResumeText } from '../support/resumes';
import { pinDraftRubric } from '../support/rubric-history';

// The functions as they would ship: bundled with esbuild as SST bundles them, prompts embedded in them, pdf.js
// installed beside the worker, each run in a fresh Node process with the environment SST gives a linked function.
let out: string;
let api: BundleResult;
let worker: BundleResult;
let stack: LambdaStack;
let token: string;
let env: Record<string, string>;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'vetline-bundles-'));
  [api, worker] = await Promise.all([bundleFunction('api', out), bundleFunction('worker', out)]);
  stack = await startLambdaStack();
  const { services } = await stack.build({ extract: null, drafter: noDrafter });
  token = (await stack.newOrg(services)).tokens.recruiter;
  const { LOG_LEVEL: _silent, ...endpoints } = stack.env;
  env = { ...endpoints, LOG_LEVEL: 'info', ...sstEnvironment(stack.resources) };
}, 120_000);
afterAll(async () => {
  await stack.close();
  await rm(out, { recursive: true, force: true });
});

/** The source files that put bytes into the bundle (the metafile also lists files read and then tree-shaken). */
const inputs = (bundle: BundleResult) =>
  Object.values(bundle.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([file]) => file),
  );

describe('the bundles', () => {
  it('keep the PDF and DOCX parsers (and the LLM SDK) out of the API function', () => {
    expect(inputs(api).some((i) => i.includes('node_modules/pdfjs-dist/'))).toBe(false);
    expect(inputs(api).some((i) => i.includes('node_modules/mammoth/'))).toBe(false);
    expect(inputs(api).some((i) => i.includes('node_modules/openai/'))).toBe(false);
    expect(inputs(worker).some((i) => i.includes('node_modules/mammoth/'))).toBe(true);
  });

  it('keep zod’s English messages only (the esbuild plugin the stack also uses)', () => {
    const zodLocales = inputs(api).filter((i) => /node_modules\/zod\/v4\/locales\//.test(i));
    expect(zodLocales.map((i) => path.basename(i))).toEqual(['en.js']);
  });

  it('leave out zod’s compiler and z.fromJSONSchema, which Vetline never calls, and still serve the OpenAPI document', async () => {
    for (const bundle of [api, worker]) {
      expect(inputs(bundle).some((i) => i.endsWith('node_modules/zod/v4/core/compile.js'))).toBe(false);
      expect(inputs(bundle).some((i) => i.endsWith('node_modules/zod/v4/classic/from-json-schema.js'))).toBe(
        false,
      );
    }
    // In the bundles they throw: nothing in the code may use them (nor switch the compiler on with `zod/compile`).
    const unused = new RegExp(
      [
        String.raw`\bz(?:\.core)?\.(?:compile|withParser|fromJSONSchema)\b`,
        String.raw`import\s*\{[^}]*\b(?:compile|withParser|fromJSONSchema)\b[^}]*\}\s*from\s*['"]zod`,
        `['"]zod/compile['"]`,
      ].join('|'),
    );
    for (const folder of ['src', 'functions']) {
      const files = (await readdir(path.join(repoRoot, folder), { recursive: true })).filter(
        (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f),
      );
      for (const file of files) {
        const code = await readFile(path.join(repoRoot, folder, file), 'utf8');
        expect(unused.exec(code)?.[0], `${folder}/${file}`).toBeUndefined();
      }
    }
    // zod's toJSONSchema stays: the API bundle generates its OpenAPI document from the schemas.
    const doc = await invokeBundle(api.file, [await httpApiEvent('GET', '/openapi.json')], env);
    const response = doc.results[0] as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    const spec = JSON.parse(response.body) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/v1/screenings');
  });

  it('resolve AWS credentials from the environment alone, as Lambda provides them (no SSO/STS/INI chain)', () => {
    for (const bundle of [api, worker]) {
      expect(inputs(bundle).some((i) => i.includes('node_modules/@aws-sdk/credential-provider-ini/'))).toBe(
        false,
      );
      expect(inputs(bundle).some((i) => i.includes('node_modules/@aws-sdk/nested-clients/'))).toBe(false);
      expect(inputs(bundle).some((i) => i.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(
        true,
      );
    }
  });

  it('keep the YAML parser out of every function: prompts are embedded pre-parsed, nothing is copied beside them', async () => {
    for (const bundle of [api, worker]) {
      expect(inputs(bundle).some((i) => i.includes('node_modules/yaml/'))).toBe(false);
      expect((await readdir(bundle.dir)).filter((entry) => entry !== 'node_modules')).toEqual([
        path.basename(bundle.file),
      ]);
    }
    expect(inputs(worker)).toContain('src/prompting/embedded-prompt-source.ts');
  });

  it('leave the prompts out of the API function, which never drafts (the worker carries them)', async () => {
    expect(inputs(api).some((i) => i.startsWith('src/prompting/'))).toBe(false);
    // A behavioural anchor of the default rubric: in the worker's embedded prompts, nowhere in the API.
    const anchor = 'designed or owned asyncio services';
    expect((await readFile(worker.file, 'utf8')).toLowerCase()).toContain(anchor);
    expect((await readFile(api.file, 'utf8')).toLowerCase()).not.toContain(anchor);
  });

  it('install pdf.js beside the worker, with the native canvas its legacy build polyfills DOMMatrix from', () => {
    expect(worker.installedPackages).toEqual(expect.arrayContaining(['pdfjs-dist', '@napi-rs/canvas']));
    expect(inputs(worker).some((i) => i.includes('node_modules/pdfjs-dist/'))).toBe(false);
  });

  it('run end to end: the API bundle takes a corpus PDF, the worker bundle extracts and drafts it from SQS', async () => {
    const pdf = corpusResumes().find((r) => r.name.endsWith('.pdf'));
    if (!pdf) throw new Error('no PDF in the corpus');
    const form = new FormData();
    form.set('resume', new File([pdf.bytes], pdf.name));
    form.set('candidateName', 'Bundle Candidate');
    const before = stack.sqs.sent.length;
    const posted = await invokeBundle(
      api.file,
      [
        await httpApiEvent('POST', '/v1/screenings', {
          headers: { authorization: `Bearer ${token}` },
          body: form,
        }),
      ],
      env,
    );
    const response = posted.results[0] as { statusCode: number; body: string };
    expect(response.statusCode).toBe(202);
    const { id } = JSON.parse(response.body) as { id: string };
    const message = stack.sqs.sent[before];
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({ screeningId: id });

    // Delivered twice (at-least-once): processed once, both deliveries acknowledged.
    const record = sqsRecord(message?.body ?? '', { messageId: message?.messageId });
    const processed = await invokeBundle(worker.file, [sqsEvent(record), sqsEvent(record)], env);
    expect(processed.results).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    // Structured logs carry the screening id, never the candidate's name.
    expect(processed.logs).toContain(`"screeningId":"${id}"`);
    expect(processed.logs).not.toContain('Bundle Candidate');

    const got = await invokeBundle(
      api.file,
      [await httpApiEvent('GET', `/v1/screenings/${id}`, { headers: { authorization: `Bearer ${token}` } })],
      env,
    );
    const detail = JSON.parse((got.results[0] as { body: string }).body) as {
      screening: { status: string; attempts: number };
      submissions: Array<{ pageCount: number | null; charCount: number | null }>;
      assessment: { provenance: Record<string, unknown> };
    };
    expect(detail.screening).toMatchObject({ status: 'drafted', attempts: 1 });
    // The bundled worker drafted against the embedded rubric: the provenance it recorded is the local loader's.
    const rubric = await loadRubric(loadConfig({}).rubricId);
    expect(detail.assessment.provenance).toMatchObject({
      rubricId: rubric.id,
      rubricVersion: rubric.version,
      rubricHash: rubric.hash,
    });
    expect(detail.submissions[0]?.pageCount).toBeGreaterThanOrEqual(1);
    expect(detail.submissions[0]?.charCount).toBeGreaterThan(500);

    // The API bundle knows the current rubric without the prompts (built in by the current-rubrics plugin): the
    // draft the worker bundle just made is current; pinned to an earlier version, it is stale.
    const reviewOf = async () => {
      const res = await invokeBundle(
        api.file,
        [await httpApiEvent('GET', `/v1/reviews/${id}`, { headers: { authorization: `Bearer ${token}` } })],
        env,
      );
      return JSON.parse((res.results[0] as { body: string }).body) as { staleRubric: unknown };
    };
    expect((await reviewOf()).staleRubric).toBeNull();
    const { db } = await stack.build({ extract: null, drafter: noDrafter });
    const orgId = JSON.parse(message?.body ?? '{}').orgId as string;
    await pinDraftRubric(db, stack.tableName, orgId, id, { version: '0.1.0', hash: 'd'.repeat(64) });
    expect((await reviewOf()).staleRubric).toMatchObject({
      code: 'stale_rubric',
      draftedWith: { version: '0.1.0' },
      current: { id: rubric.id, version: rubric.version, hash: rubric.hash },
    });
    expect(inputs(api)).toContain('src/rubric/current-rubric.ts');
  }, 120_000);

  it('draft through the bundled openai SDK when the stage has a key (the fake OpenAI server stands in)', async () => {
    let fake: FakeOpenAi | undefined;
    try {
      fake = await startFakeOpenAi();
      const form = new FormData();
      form.set('resume', new File([new TextEncoder().encode(seniorResumeText)], 'priya.txt'));
      const before = stack.sqs.sent.length;
      const posted = await invokeBundle(
        api.file,
        [
          await httpApiEvent('POST', '/v1/screenings', {
            headers: { authorization: `Bearer ${token}` },
            body: form,
          }),
        ],
        env,
      );
      const { id } = JSON.parse((posted.results[0] as { body: string }).body) as { id: string };
      const message = stack.sqs.sent[before];
      const withKey = {
        ...env,
        ...sstEnvironment({ OpenAiApiKey: { value: 'sk-stage-secret' } }),
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_MODEL: 'gpt-test',
      };
      const processed = await invokeBundle(
        worker.file,
        [sqsEvent(sqsRecord(message?.body ?? '', { messageId: message?.messageId }))],
        withKey,
      );
      expect(processed.results).toEqual([{ batchItemFailures: [] }]);
      expect(fake.calls).toHaveLength(1);
      expect(fake.requests.find((r) => r.chat)?.authorization).toBe('Bearer sk-stage-secret');
      expect(processed.logs).not.toContain('sk-stage-secret');

      const got = await invokeBundle(
        api.file,
        [
          await httpApiEvent('GET', `/v1/screenings/${id}`, {
            headers: { authorization: `Bearer ${token}` },
          }),
        ],
        env,
      );
      const detail = JSON.parse((got.results[0] as { body: string }).body) as {
        screening: { status: string };
        assessment: { provenance: { drafter: string; model: string } };
      };
      expect(detail.screening.status).toBe('drafted');
      expect(detail.assessment.provenance).toMatchObject({ drafter: 'llm' });
    } finally {
      await fake?.close();
    }
  }, 120_000);
});
