import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../tests/support/aws/s3-server';
import { blobKeys } from './blob-store';
import { createS3Client, S3BlobStore } from './s3-blob-store';

// Against s3rver on loopback: the real SDK, real HTTP, a real (if small) S3 implementation.
let s3: LocalS3;
let store: S3BlobStore;
let bucket: string;
const client = () => createS3Client({ region: 'us-east-1', endpoint: s3.endpoint });

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.newBucket();
  store = new S3BlobStore({ bucket, endpoint: s3.endpoint });
});
afterAll(() => s3.close());

describe('S3BlobStore', () => {
  it('stores bytes and gives back the same bytes and content type', async () => {
    const bytes = new Uint8Array(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 256;
    const key = blobKeys.upload('org_A', 'sub_1');
    await store.put(key, bytes, 'application/pdf');
    const got = await store.get(key);
    expect(got?.contentType).toBe('application/pdf');
    expect(got?.bytes).toEqual(bytes);
  });

  it('keeps keys under the organisation, as the disk store does', async () => {
    await store.put(
      blobKeys.text('org_B', 'sub_2'),
      new TextEncoder().encode('{"text":"x"}'),
      'application/json',
    );
    const head = await client().send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'org_B/submissions/sub_2/text.json' }),
    );
    expect(head.ContentLength).toBe(12);
  });

  it('answers null for a key that is not there, and deletes twice without error', async () => {
    expect(await store.get('org_A/submissions/none/original')).toBeNull();
    const key = blobKeys.upload('org_A', 'sub_3');
    await store.put(key, new Uint8Array([1, 2, 3]), 'text/plain; charset=utf-8');
    await store.delete(key);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await expect(client().send(new GetObjectCommand({ Bucket: bucket, Key: key }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('refuses keys that could climb out of their prefix', async () => {
    await expect(store.put('org_A/../org_B/x', new Uint8Array([1]), 'text/plain')).rejects.toThrow(
      /invalid blob key/,
    );
    await expect(store.get('/org_A/x')).rejects.toThrow(/invalid blob key/);
    await expect(store.delete('org_A//x')).rejects.toThrow(/invalid blob key/);
  });

  it('surfaces S3 errors other than a missing key (here: a bucket that does not exist)', async () => {
    const missing = new S3BlobStore({ bucket: 'vetline-no-such-bucket', endpoint: s3.endpoint });
    await expect(missing.put('org_A/x', new Uint8Array([1]), 'text/plain')).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });
});
