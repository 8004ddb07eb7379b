/**
 * The blob port: candidate uploads and derived artefacts (extracted text). Adapters: `DiskBlobStore` locally and in
 * tests; an S3 adapter on AWS. Keys are always built by `blobKeys` and begin with the organisation id.
 */
export interface StoredBlob {
  bytes: Uint8Array;
  contentType: string;
}

export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** `null` when there is no such blob. */
  get(key: string): Promise<StoredBlob | null>;
  delete(key: string): Promise<void>;
}

export const blobKeys = {
  upload: (orgId: string, submissionId: string): string => `${orgId}/submissions/${submissionId}/original`,
  text: (orgId: string, submissionId: string): string => `${orgId}/submissions/${submissionId}/text.json`,
};
