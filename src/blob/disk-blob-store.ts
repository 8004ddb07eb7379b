import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore, StoredBlob } from './blob-store';

/**
 * Blobs as files under one root folder, for local runs and tests. Writes go to a temporary file first and are renamed
 * into place, so a crash never leaves half a file under the real name. Keys may not climb out of the root.
 */
export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathFor(key: string): string {
    if (!/^[A-Za-z0-9_\-./]+$/.test(key) || key.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`invalid blob key: ${key}`);
    }
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const file = this.pathFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await writeFile(`${tmp}.type`, contentType);
    await rename(`${tmp}.type`, `${file}.type`);
    await rename(tmp, file);
  }

  async get(key: string): Promise<StoredBlob | null> {
    const file = this.pathFor(key);
    try {
      const [bytes, contentType] = await Promise.all([readFile(file), readFile(`${file}.type`, 'utf8')]);
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathFor(key);
    await Promise.all([rm(file, { force: true }), rm(`${file}.type`, { force: true })]);
  }
}
