import { brotliCompressSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zlibBomb } from '../../tests/support/bombs';
import { ascii85, asciiHex, brotli, flate, lzw, OverBudget, runLength } from './pdf-stream-filters';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const text = (out: Uint8Array | null) => Buffer.from(out ?? []).toString('latin1');

describe('stream filters', () => {
  it('decode the examples of the PDF reference', async () => {
    // ISO 32000-1, 7.4.4.2: the LZW example.
    const lzwOut = await lzw(
      Uint8Array.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]),
      1e6,
      true,
    );
    expect(text(lzwOut.out)).toBe('-----A---B');
    expect(lzwOut.produced).toBe(10);
    expect(
      text(
        (
          await ascii85(
            bytes(
              '9jqo^BlbD-BleB1DJ+*+F(f,q/0JhKF<GL>Cj@.4Gp$d7F!,L7@<6@)/0JDEF<G%<+EV:2F!,O<DJ+*.@<*K0@<6L(Df-\\0Ec5e;DffZ(EZee.Bl.9pF"AGXBPCsi+DGm>@3BB/F*&OCAfu2/AKYi(DIb:@FD,*)+C]U=@3BB/F*&OCAfu2/AKYi(DIb:@FD,*)+C]U=@3BB/F*&OCAfu2/AKYi(~>',
            ),
            1e6,
            true,
          )
        ).out,
      ),
    ).toMatch(/^Man is distinguished/);
    expect(text((await ascii85(bytes('z~>'), 1e6, true)).out)).toBe('\0\0\0\0');
    expect(text((await asciiHex(bytes('48 65 6C6c6F7>'), 1e6, true)).out)).toBe('Hellop');
    expect(text((await runLength(Uint8Array.from([2, 97, 98, 99, 254, 120, 128, 100]), 1e6, true)).out)).toBe(
      'abcxxx',
    );
  });

  it('count without keeping when nothing follows', async () => {
    const data = deflateSync(Buffer.alloc(100_000, 0x41));
    expect(await flate(new Uint8Array(data), 1e6, false)).toEqual({ produced: 100_000, out: null });
    expect((await runLength(Uint8Array.from([129, 0, 128]), 1e6, false)).produced).toBe(128);
  });

  it('stop a bomb a chunk past the budget, whatever it would have reached', async () => {
    const bomb = zlibBomb(bytes('BT'), 0x20, 512 * 1024 * 1024, bytes('ET'));
    const budget = 8 * 1024 * 1024;
    const error = await flate(bomb.data, budget, false).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OverBudget);
    const produced = (error as OverBudget).producedBytes;
    expect(produced).toBeGreaterThan(budget);
    expect(produced).toBeLessThanOrEqual(budget + 64 * 1024);
    // RunLength at its best, 2 bytes for 128: stopped at the budget too.
    const runs = new Uint8Array(200_000).fill(129);
    await expect(runLength(runs, 1000, true)).rejects.toBeInstanceOf(OverBudget);
  });

  it('count what a damaged Flate stream gave before the damage', async () => {
    // Bombs over 16 MB have a checksum of zero: zlib fails them at the very end, after all of the output. What zlib
    // had not yet handed over when it failed (under one 64 KB chunk) is not counted.
    for (const size of [20 * 1024 * 1024, 30 * 1024 * 1024]) {
      const bomb = zlibBomb(bytes('BT'), 0x20, size, bytes('ET'));
      const counted = await flate(bomb.data, 1e9, false);
      expect(counted.produced).toBeLessThanOrEqual(bomb.inflatedBytes);
      expect(counted.produced).toBeGreaterThan(bomb.inflatedBytes - 64 * 1024);
      const kept = await flate(bomb.data, 1e9, true);
      expect(kept.out?.length).toBe(counted.produced);
    }
    // A stream that is not zlib data at all (an encrypted PDF's, read here as it is stored) counts nothing.
    expect((await flate(new Uint8Array(10_000).fill(0xa7), 1e9, false)).produced).toBe(0);
  });

  it('decode Brotli in one call or through the stream, counted, and stop it past the budget', async () => {
    const small = brotliCompressSync(Buffer.from('Hello, Brotli'));
    expect(text((await brotli(small, 1e6, true)).out)).toBe('Hello, Brotli');
    // 12 MiB is more than one call takes: the streamed path counts it all, and keeps it when asked.
    const large = brotliCompressSync(Buffer.alloc(12 * 1024 * 1024, 0x20));
    expect(await brotli(large, 1e9, false)).toEqual({ produced: 12 * 1024 * 1024, out: null });
    expect((await brotli(large, 1e9, true)).out?.length).toBe(12 * 1024 * 1024);
    for (const budget of [1024 * 1024, 10 * 1024 * 1024]) {
      const error = await brotli(large, budget, false).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OverBudget);
      expect((error as OverBudget).producedBytes).toBeGreaterThan(budget);
      expect((error as OverBudget).producedBytes).toBeLessThanOrEqual(budget + 64 * 1024);
    }
    // Damaged data counts what came out before the damage, and nothing for data that is not Brotli at all.
    const lines = Buffer.from(Array.from({ length: 50_000 }, (_, i) => `line ${i}\n`).join(''));
    const packed = brotliCompressSync(lines);
    const cut = await brotli(packed.subarray(0, packed.length >> 1), 1e9, true);
    expect(cut.produced).toBeGreaterThan(0);
    expect(cut.produced).toBeLessThan(lines.length);
    expect(Buffer.from(cut.out ?? []).equals(lines.subarray(0, cut.produced))).toBe(true);
    expect((await brotli(new Uint8Array(100).fill(0xff), 1e9, false)).produced).toBe(0);
  });
});
