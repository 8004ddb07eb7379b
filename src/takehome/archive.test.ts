import { describe, expect, it } from 'vitest';
import { paxLengthBomb, paxPath, type TarEntry, tar, tarGz, zip } from '../../tests/support/archives';
import { AppError } from '../core/app-error';
import { type ReadArchiveOptions, readArchive } from './archive';

const PROJECT = {
  'README.md': '# Ingest\n\nA small asyncio ingestion service.\n',
  'app/__init__.py': '',
  'app/ingest.py':
    'import asyncio\n\nasync def fetch(url: str) -> bytes:\n    await asyncio.sleep(0)\n    return b""\n',
  'tests/test_ingest.py': 'from app.ingest import fetch\n\ndef test_fetch() -> None:\n    assert fetch\n',
};

function refusal(bytes: Uint8Array, options?: ReadArchiveOptions): AppError {
  try {
    readArchive(bytes, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the archive to be refused');
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const zeros = (n: number) => new Uint8Array(n);

/** Offsets of the central directory headers of a zip, in order. */
function centralHeaders(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let p = 0; p + 4 <= bytes.length; p++) if (view.getUint32(p, true) === 0x02014b50) found.push(p);
  return found;
}

describe('reading a well-formed archive', () => {
  it('reads the same project from a zip and from a tar.gz, with folders listed and paths normalised', () => {
    const fromZip = readArchive(zip(PROJECT));
    const fromTar = readArchive(
      tarGz([
        { name: './', type: '5' },
        { name: './app/', type: '5' },
        ...Object.entries(PROJECT).map(([name, content]) => ({ name: `./${name}`, content })),
      ]),
    );
    expect(fromZip.kind).toBe('zip');
    expect(fromTar.kind).toBe('tar.gz');
    for (const read of [fromZip, fromTar]) {
      expect(Object.fromEntries([...read.files].map(([path, bytes]) => [path, text(bytes)]))).toEqual(
        PROJECT,
      );
      expect(read.totalBytes).toBe(Object.values(PROJECT).reduce((n, s) => n + s.length, 0));
    }
    expect(fromTar.entries).toContainEqual({ path: 'app', type: 'directory', size: 0 });
  });

  it('reads only the files asked for, and still checks the others', () => {
    const read = readArchive(zip(PROJECT), { wanted: (path) => path.endsWith('.py') });
    expect([...read.files.keys()].sort()).toEqual([
      'app/__init__.py',
      'app/ingest.py',
      'tests/test_ingest.py',
    ]);
    expect(read.entries.map((e) => e.path)).toContain('README.md');
    expect(refusal(zip({ ...PROJECT, '../escape.md': 'x' }), { wanted: (p) => p.endsWith('.py') }).code).toBe(
      'unsafe_path',
    );
  });

  it('reads pax and GNU long names', () => {
    const long = `src/${'deep/'.repeat(25)}module.py`;
    const read = readArchive(
      tarGz([
        paxPath(long),
        { name: 'ignored', content: 'x = 1\n' },
        { name: '././@LongLink', type: 'L', content: `${long}2` },
        { name: 'y', content: 'y = 2\n' },
      ]),
      { limits: { maxDepth: 40 } },
    );
    expect(text(read.files.get(long))).toBe('x = 1\n');
    expect(text(read.files.get(`${long}2`))).toBe('y = 2\n');
  });
});

describe('hostile archives', () => {
  it('refuses a zip bomb by its compression ratio before inflating it', () => {
    const error = refusal(zip({ 'data.py': zeros(10 * 1024 * 1024) }));
    expect(error.status).toBe(422);
    expect(error.code).toBe('suspicious_compression_ratio');
    expect(error.details).toMatchObject({ entry: 'data.py', limit: 100 });
  });

  it('refuses a tar.gz bomb: by ratio, and by the size limit while inflating', () => {
    expect(refusal(tarGz([{ name: 'zeros.py', content: zeros(5 * 1024 * 1024) }])).code).toBe(
      'suspicious_compression_ratio',
    );
    const error = refusal(tarGz([{ name: 'zeros.py', content: zeros(3 * 1024 * 1024) }]), {
      limits: { maxTotalBytes: 1024 * 1024, maxRatio: 1_000_000 },
    });
    expect(error.status).toBe(413);
    expect(error.code).toBe('archive_too_large');
  });

  it('catches a zip entry that lies about its size', () => {
    const bytes = zip({ 'big.py': 'x = 1\n'.repeat(50_000) });
    const central = centralHeaders(bytes)[0] ?? 0;
    new DataView(bytes.buffer).setUint32(central + 24, 100, true); // uncompressed size: 100
    expect(refusal(bytes).code).toBe('corrupt_archive');
  });

  it('refuses files and archives over the size limits, and too many entries', () => {
    expect(refusal(zip(PROJECT), { limits: { maxFileBytes: 50 } }).code).toBe('archive_entry_too_large');
    expect(refusal(zip(PROJECT), { limits: { maxTotalBytes: 100 } }).code).toBe('archive_too_large');
    const many = Object.fromEntries(Array.from({ length: 5_001 }, (_, i) => [`f/${i}.txt`, '']));
    const error = refusal(zip(many));
    expect(error.code).toBe('too_many_entries');
    expect(error.details).toEqual({ entries: 5_001, limit: 5_000 });
    const manyTar = Array.from({ length: 30 }, (_, i): TarEntry => ({ name: `f/${i}.txt` }));
    expect(refusal(tarGz(manyTar), { limits: { maxEntries: 20 } }).code).toBe('too_many_entries');
  });

  it.each([
    ['zip slip', '../../etc/cron.d/evil'],
    ['zip slip through a folder', 'app/../../evil.py'],
    ['zip slip with backslashes', '..\\..\\evil.py'],
    ['an absolute path', '/etc/passwd'],
    ['a drive path', 'C:/Windows/evil.py'],
  ])('refuses %s in a zip and in a tar.gz', (_, name) => {
    for (const bytes of [zip({ ...PROJECT, [name]: 'x' }), tarGz([{ name, content: 'x' }])]) {
      const error = refusal(bytes);
      expect(error.status).toBe(422);
      expect(error.code).toBe('unsafe_path');
      expect(error.details).toMatchObject({ entry: name });
    }
  });

  it('refuses traversal hidden in pax and GNU long-name headers', () => {
    expect(refusal(tarGz([paxPath('../../evil.py'), { name: 'innocent.py', content: 'x' }])).code).toBe(
      'unsafe_path',
    );
    expect(
      refusal(tarGz([{ name: '././@LongLink', type: 'L', content: '/etc/evil' }, { name: 'ok.py' }])).code,
    ).toBe('unsafe_path');
  });

  it('refuses a pax header whose length runs for a megabyte before its first space, as corrupt_archive', () => {
    // Spread into String.fromCharCode, a million digits overflowed the call stack: a RangeError and a 500.
    const error = refusal(paxLengthBomb());
    expect(error.code).toBe('corrupt_archive');
    expect(error.status).toBe(422);
    // A length of a sane size that does not match its record is refused the same way; a good one still reads.
    const short = refusal(
      tarGz([{ name: 'PaxHeader/x', type: 'x', content: '3 path=a.py\n' }, { name: 'a.py' }]),
    );
    expect(short.code).toBe('corrupt_archive');
    const read = readArchive(tarGz([paxPath('pkg/long_name.py'), { name: 'x.py', content: 'x = 1\n' }]));
    expect([...read.files.keys()]).toEqual(['pkg/long_name.py']);
  });

  it('refuses symbolic links (zip and tar), hard links and devices', () => {
    const symlinkZip = refusal(zip(PROJECT, { 'app/settings.py': '/etc/passwd' }));
    expect(symlinkZip.code).toBe('symlink_in_archive');
    expect(symlinkZip.details).toEqual({ entry: 'app/settings.py' });
    expect(refusal(tarGz([{ name: 'link.py', type: '2', linkname: '/etc/passwd' }])).code).toBe(
      'symlink_in_archive',
    );
    expect(
      refusal(
        tarGz([
          { name: 'a.py', content: 'x' },
          { name: 'b.py', type: '1', linkname: 'a.py' },
        ]),
      ).code,
    ).toBe('hardlink_in_archive');
    expect(refusal(tarGz([{ name: 'dev/null', type: '3' }])).code).toBe('special_file_in_archive');
  });

  it('refuses deep nesting: folders too deep, paths too long, archives inside archives', () => {
    expect(refusal(zip({ [`${'a/'.repeat(30)}x.py`]: 'x' })).code).toBe('path_too_deep');
    expect(refusal(zip({ [`${'n'.repeat(500)}.py`]: 'x' })).code).toBe('path_too_deep');
    const inner = zip({ 'inner.zip': zip({ 'innermost.zip': zip(PROJECT) }) });
    const nested = refusal(zip({ ...PROJECT, 'vendor/outer.zip': inner }));
    expect(nested.code).toBe('nested_archive');
    expect(nested.details).toEqual({ entry: 'vendor/outer.zip' });
    // Renamed, it is still an archive.
    expect(refusal(zip({ ...PROJECT, 'fixtures/data.py': inner })).code).toBe('nested_archive');
    expect(
      refusal(tarGz([{ name: 'data.bin', content: tarGz([{ name: 'x.py', content: 'x' }]) }])).code,
    ).toBe('nested_archive');
  });

  it('refuses encrypted entries, unknown compression, duplicates, bad checksums and truncation', () => {
    const encrypted = zip(PROJECT);
    for (const at of centralHeaders(encrypted)) new DataView(encrypted.buffer).setUint16(at + 8, 1, true);
    expect(refusal(encrypted).code).toBe('encrypted_archive');

    const bzip2 = zip({ 'a.py': 'x = 1\n'.repeat(100) });
    new DataView(bzip2.buffer).setUint16((centralHeaders(bzip2)[0] ?? 0) + 10, 12, true);
    expect(refusal(bzip2).code).toBe('unsupported_compression');

    expect(
      refusal(
        tarGz([
          { name: 'a.py', content: '1' },
          { name: './a.py', content: '2' },
        ]),
      ).code,
    ).toBe('duplicate_entry');
    expect(refusal(tarGz([{ name: 'a.py', content: 'x', badChecksum: true }])).code).toBe('corrupt_archive');
    const whole = zip(PROJECT);
    expect(refusal(whole.subarray(0, whole.length - 30)).code).toBe('corrupt_archive');
  });

  it('answers 415 naming zip and tar.gz for anything else, a plain tar included', () => {
    for (const [bytes, detected] of [
      [new TextEncoder().encode('%PDF-1.7\n'), 'pdf'],
      [tar([{ name: 'a.py', content: 'x' }]), 'tar'],
      [new TextEncoder().encode('print("hello")\n'), 'unknown'],
    ] as const) {
      const error = refusal(bytes);
      expect(error.status).toBe(415);
      expect(error.details).toEqual({ accepted: ['zip', 'tar.gz'], detected });
    }
  });
});
