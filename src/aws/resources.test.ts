import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config';
import { lambdaConfig, linkedEnvironment, linkNames, UNSET_SECRET } from './resources';

const links = {
  App: { name: 'vetline', stage: 'production' },
  [linkNames.table]: { name: 'vetline-production-TableTable-abc', type: 'sst.aws.Dynamo' },
  [linkNames.bucket]: { name: 'vetline-production-uploadsbucket-xyz', type: 'sst.aws.Bucket' },
  [linkNames.queue]: {
    url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/vetline-production-JobsQueue',
    type: 'sst.aws.Queue',
  },
  [linkNames.openAiApiKey]: { value: 'sk-live-123', type: 'sst.sst.Secret' },
};

/** SST's `Resource` throws on any name that is not linked: the mapping must only touch names it knows. */
const strictProxy = (target: Record<string, unknown>) =>
  new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'string' && !(prop in t)) throw new Error(`"${prop}" is not linked`);
      return t[prop as string];
    },
  });

describe('linked resources as settings', () => {
  it('maps table, bucket, queue, secret and stage to the variables config.ts reads', () => {
    expect(linkedEnvironment(links)).toEqual({
      VETLINE_STAGE: 'production',
      DYNAMODB_TABLE: 'vetline-production-TableTable-abc',
      VETLINE_BLOB_BUCKET: 'vetline-production-uploadsbucket-xyz',
      VETLINE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/vetline-production-JobsQueue',
      OPENAI_API_KEY: 'sk-live-123',
    });
  });

  it('sets only what a function is linked to (the cron sees the table alone)', () => {
    const cron = strictProxy({ App: links.App, [linkNames.table]: links[linkNames.table] });
    expect(linkedEnvironment(cron)).toEqual({
      VETLINE_STAGE: 'production',
      DYNAMODB_TABLE: 'vetline-production-TableTable-abc',
    });
  });

  it('treats the secret’s placeholder as no key: the worker then drafts offline', () => {
    const env = linkedEnvironment({ ...links, [linkNames.openAiApiKey]: { value: UNSET_SECRET } });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    const config = lambdaConfig({}, { ...links, [linkNames.openAiApiKey]: { value: UNSET_SECRET } });
    expect(config.llm).toBeUndefined();
  });

  it('refuses links of the wrong shape with a message that names them', () => {
    expect(() => linkedEnvironment({ App: links.App, [linkNames.queue]: { url: 'not a url' } })).toThrow(
      ConfigError,
    );
    expect(() => linkedEnvironment({ [linkNames.table]: links[linkNames.table] })).toThrow(/App/);
  });
});

describe('lambdaConfig', () => {
  it('builds the same Config as locally: links over the environment, the stack’s settings from the environment', () => {
    const config = lambdaConfig(
      {
        AWS_REGION: 'eu-west-1',
        DYNAMODB_TABLE: 'ignored-links-win',
        VETLINE_RETENTION_DAYS: '90',
        OPENAI_MODEL: 'gpt-4.1',
        LOG_LEVEL: 'warn',
        LAMBDA_TASK_ROOT: '/var/task',
      },
      strictProxy(links),
    );
    expect(config.dynamo).toMatchObject({ table: 'vetline-production-TableTable-abc', region: 'eu-west-1' });
    expect(config.dynamo.endpoint).toBeUndefined();
    expect(config.aws).toMatchObject({
      stage: 'production',
      blobBucket: 'vetline-production-uploadsbucket-xyz',
      queueUrl: links[linkNames.queue].url,
    });
    expect(config.retentionDays).toBe(90);
    expect(config.llm).toMatchObject({ apiKey: 'sk-live-123', model: 'gpt-4.1' });
    expect(config.logLevel).toBe('warn');
  });

  it('fails on a bad setting from the stack, naming the variable', () => {
    expect(() => lambdaConfig({ VETLINE_RETENTION_DAYS: 'forever' }, links)).toThrow(
      /VETLINE_RETENTION_DAYS/,
    );
  });
});
