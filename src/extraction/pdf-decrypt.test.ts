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

  it('takes an unsigned /P as its signed 32 bits, as pdf.js does', async () => {
    // Producers write /P -4 as 4294967292 too: the key, and so the decrypted run, must be the same.
    const signed = Buffer.from(fixture('run-of-spaces-rc4-128.pdf')).toString('latin1');
    expect(signed).toContain('/P -4 ');
    const unsigned = new Uint8Array(Buffer.from(signed.replace('/P -4 ', '/P 4294967292 '), 'latin1'));
    expect((await checkPdfStreams(unsigned)).decodedBytes).toBe(INFLATED);
  });

  const crafted = (encrypt: string) =>
    new Uint8Array(
      Buffer.from(
        `%PDF-1.4\n1 0 obj\n<</Length 64/Filter/FlateDecode>>stream\n${'x'.repeat(64)}\nendstream\nendobj\n2 0 obj\n${encrypt}\nendobj\n` +
          `trailer\n<</Encrypt 2 0 R/ID[<00112233445566778899aabbccddeeff><00>]/Root 3 0 R>>\n%%EOF`,
        'latin1',
      ),
    );
  const zeros = (count: number) => `<${'00'.repeat(count)}>`;

  it('reads AES-128 with a short /Length (a short object key, zero-padded as pdf.js reads it)', async () => {
    // 64 bytes of stream: an IV and three blocks, which the check deciphers.
    const pdf = crafted(
      `<</Filter/Standard/V 4/R 4/Length 40/P -4/StmF/StdCF/CF<</StdCF<</CFM/AESV2>>>>/O${zeros(32)}/U${zeros(32)}>>`,
    );
    expect(await checkPdfStreams(pdf)).toMatchObject({ streams: 1, decodedBytes: 0 });
  });

  it('refuses an encryption dictionary a cipher cannot use as a damaged file, not a server error', async () => {
    // Revision 6 with a /UE of 20 bytes, where AES-256 needs a 32-byte block.
    const pdf = crafted(
      `<</Filter/Standard/V 5/R 6/P -4/StmF/StdCF/CF<</StdCF<</CFM/AESV3>>>>/O${zeros(48)}/U${zeros(48)}/UE${zeros(20)}>>`,
    );
    const refused = await checkPdfStreams(pdf).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 422, code: 'corrupt_file' });
    expect((refused as AppError).message).toBe('The PDF file is damaged and cannot be read.');
  });
});
