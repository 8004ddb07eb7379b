import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { BlobStore, StoredBlob } from './blob-store';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Built from `region`/`endpoint` when not given; tests and the Lambda entries pass their own. */
  client?: S3Client;
  region?: string;
  /** An S3-compatible endpoint (tests use one on loopback); path-style addressing is used with it. */
  endpoint?: string | undefined;
}

/** The same key rule as the disk store: keys are built by `blobKeys`, so anything else is a bug, not input. */
const validKey = (key: string): boolean =>
  /^[A-Za-z0-9_\-./]+$/.test(key) && !key.split('/').some((part) => part === '..' || part === '');

export function createS3Client(settings: { region: string; endpoint?: string | undefined }): S3Client {
  const config: S3ClientConfig = { region: settings.region, maxAttempts: 4 };
  if (settings.endpoint) {
    // An S3-compatible server (s3rver in tests, MinIO...): path-style URLs; its keys come from the environment as
    // usual (AWS_ACCESS_KEY_ID...). On Lambda there is no endpoint and the function's role signs.
    config.endpoint = settings.endpoint;
    config.forcePathStyle = true;
  }
  return new S3Client(config);
}

/**
 * Blobs in one private S3 bucket. Objects are written with SSE-S3 (the bucket also encrypts by default; asking for
 * it per object makes a misconfigured bucket fail loudly rather than store plaintext). The lifecycle rule that
 * deletes them after the retention period belongs to the stack (`infra/storage.ts`).
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.client =
      options.client ?? createS3Client({ region: options.region ?? 'us-east-1', endpoint: options.endpoint });
  }

  private checked(key: string): string {
    if (!validKey(key)) throw new Error(`invalid blob key: ${key}`);
    return key;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.checked(key),
        Body: bytes,
        ContentType: contentType,
        ContentLength: bytes.byteLength,
        ServerSideEncryption: 'AES256',
      }),
    );
  }

  async get(key: string): Promise<StoredBlob | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.checked(key) }),
      );
      if (!out.Body) return null;
      const bytes = await out.Body.transformToByteArray();
      return { bytes, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that is not there: deleting twice is harmless, as on disk.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.checked(key) }));
  }
}
