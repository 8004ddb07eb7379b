import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and the shared corpus of real resumes beside it (`../shared/corpus/resumes`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus/resumes');

export const corpusResumes = (): Array<{ name: string; bytes: Uint8Array }> =>
  readdirSync(corpusDir)
    .filter((name) => /\.(pdf|docx|txt|md)$/i.test(name))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(corpusDir, name))) }));

/** A plain-text resume of a strong senior backend engineer, written for tests (and the benchmark). */
export const seniorResumeText = readFileSync(path.join(repoRoot, 'tests/fixtures/senior-resume.txt'), 'utf8');
