import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The shared corpus of real resumes lives outside the repository (they are not ours to commit): `VETLINE_CORPUS_DIR`,
 * else `../shared/corpus/resumes` beside the checkout, else the team machines' `/work/shared/corpus/resumes`.
 */
export const corpusDir = ((): string => {
  const candidates = [
    process.env.VETLINE_CORPUS_DIR,
    path.resolve(repoRoot, '../shared/corpus/resumes'),
    '/work/shared/corpus/resumes',
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) {
    throw new Error(
      `The resume corpus was not found (looked in ${candidates.join(', ')}); set VETLINE_CORPUS_DIR to its folder.`,
    );
  }
  return found;
})();

export const corpusResumes = (): Array<{ name: string; bytes: Uint8Array }> =>
  readdirSync(corpusDir)
    .filter((name) => /\.(pdf|docx|txt|md)$/i.test(name))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(corpusDir, name))) }));

/** A plain-text resume of a strong senior backend engineer, written for tests (and the benchmark). */
export const seniorResumeText = readFileSync(path.join(repoRoot, 'tests/fixtures/senior-resume.txt'), 'utf8');
