import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/app-error';
import { extractDocument } from './extract';
import { checkPdfStreams } from './pdf-streams';

const ABOUT = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';
/** What the content stream of each fixture inflates to (`tests/fixtures/encrypted/README.md`). */
const INFLATED = 1_048_627;
const fixture = (name: string) =>
  new Uint8Array(readFileSync(path.join(import.meta.dirname, '../../tests/fixtures/encrypted', name)));

describe('the stream check on encrypted PDFs', () => {
  for (const cipher of ['rc4-40', 'rc4-128', 'aes-128', 'aes-256']) {
    it(`decrypts before it decodes (${cipher}), so an encrypted bomb is counted and refused`, async () => {
      const pdf = fixture(`run-of-spaces-${cipher}.pdf`);
      // Read as stored, the ciphertext would inflate to nothing: the whole run is counted only once decrypted.
      expect((await checkPdfStreams(pdf)).decodedBytes).toBe(INFLATED);
      const refused = await checkPdfStreams(pdf, 512 * 1024).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: 'file_too_large', details: { limitBytes: 512 * 1024 } });
      // And pdf.js reads the same file (empty user password): the decryption is the one it does.
      expect((await extractDocument(pdf)).text).toBe(ABOUT);
    });
  }
});
