import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from '../../../src/blob/s3-blob-store';

/**
 * An S3-compatible server on loopback for the S3 adapter's tests: s3rver (npm, pure JavaScript, runs on Node 20
 * without Docker), storing objects in a temp folder and speaking the S3 REST API the real SDK sends.
 */
export interface LocalS3 {
  endpoint: string;
  newBucket(): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** s3rver checks signatures against its one fixed development key pair; the SDK reads it from the environment. */
export const s3rverCredentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;

export async function startLocalS3(): Promise<LocalS3> {
  Object.assign(process.env, s3rverCredentials);
  const directory = await mkdtemp(path.join(tmpdir(), 'vetline-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true });
  const address = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = createS3Client({ region: 'us-east-1', endpoint });
  return {
    endpoint,
    newBucket: async () => {
      const bucket = `vetline-test-${process.pid}-${++counter}-${Date.now().toString(36)}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    close: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
