import { z } from 'zod';
import { decodeWindows1252 } from '../extraction/extract-plain-text';
import type { ArchiveEntry } from './archive';

/**
 * Which files of a take-home a reviewer (and the model) reads: Python sources and tests, configuration, README and
 * docs. Everything else is skipped and listed with the reason, folders like `.venv/` once with their file count, so
 * the reviewer sees what was left out and why. Decided from the path first (so skipped files are never inflated),
 * then from the content (binary, generated, too large, empty).
 */

export const FileRole = z.enum(['source', 'test', 'config', 'docs', 'migration']);
export type FileRole = z.infer<typeof FileRole>;

export const SkipReason = z.enum([
  'virtualenv',
  'dependencies',
  'cache',
  'vcs',
  'build_output',
  'vendored',
  'editor',
  'os_metadata',
  'generated',
  'binary',
  'other_type',
  'too_large',
  'empty',
  'over_review_limit',
]);
export type SkipReason = z.infer<typeof SkipReason>;

export const SelectedFile = z.object({
  path: z.string(),
  role: FileRole,
  /** UTF-8 (or windows-1252, decoded), LF line ends, no BOM. */
  content: z.string(),
  lines: z.number().int().min(0),
  bytes: z.number().int().min(0),
});
export type SelectedFile = z.infer<typeof SelectedFile>;

export const SkippedEntry = z.object({
  /** A file, or a folder ending in `/` standing for everything under it. */
  path: z.string(),
  reason: SkipReason,
  files: z.number().int().min(1),
});
export type SkippedEntry = z.infer<typeof SkippedEntry>;

/** A selected file larger than this is skipped as `too_large`: hand-written modules are far smaller. */
export const MAX_SELECTED_FILE_BYTES = 512 * 1024;
/**
 * All selected files together: far more than a reviewer (or the model's budget) reads, and a bound on the work the
 * static analysis does at upload. Past it, the least telling files are skipped as `over_review_limit`.
 */
export const MAX_SELECTED_TOTAL_BYTES = 4 * 1024 * 1024;
const ROLE_PRIORITY: Record<FileRole, number> = { source: 0, test: 1, config: 2, docs: 3, migration: 4 };

const DIRECTORY_REASONS: ReadonlyArray<[RegExp, SkipReason]> = [
  [/^(?:\.?venv\d*|virtualenvs?|\.virtualenvs?|\.conda)$/i, 'virtualenv'],
  [/^(?:node_modules|bower_components|site-packages|dist-packages|\.pixi)$/i, 'dependencies'],
  [
    /^(?:__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.hypothesis|\.tox|\.nox|\.cache|\.ipynb_checkpoints|htmlcov|\.benchmarks)$/i,
    'cache',
  ],
  [/^(?:\.git|\.hg|\.svn|\.bzr)$/i, 'vcs'],
  [/^(?:build|dist|\.eggs|target|site|_build|.*\.egg-info|.*\.dist-info|staticfiles)$/i, 'build_output'],
  [/^(?:vendor|vendored|_vendor|third_party|thirdparty|third-party|externals?)$/i, 'vendored'],
  [/^(?:\.idea|\.vscode|\.vs|\.fleet)$/i, 'editor'],
  [/^__MACOSX$/, 'os_metadata'],
];

const BINARY_EXTENSIONS =
  /\.(?:pyc|pyo|pyd|so|dll|dylib|exe|bin|o|a|lib|class|png|jpe?g|gif|bmp|ico|webp|tiff?|pdf|woff2?|ttf|otf|eot|mp[34]|wav|avi|mov|sqlite3?|db|pkl|pickle|npy|npz|h5|hdf5|parquet|feather|onnx|pt|pth|ckpt|safetensors|xlsx?|docx?|pptx?)$/i;
const GENERATED_NAMES =
  /(?:_pb2(?:_grpc)?\.pyi?|\.min\.(?:js|css)|^(?:poetry|pdm|uv|Pipfile|package-lock|yarn|pnpm-lock|Cargo)\.lock|^package-lock\.json|^pnpm-lock\.yaml|^yarn\.lock)$/i;
const OS_FILES = /^(?:\.DS_Store|Thumbs\.db|desktop\.ini|\.coverage(?:\..*)?|coverage\.xml)$/i;

const CONFIG_NAMES =
  /^(?:pyproject\.toml|setup\.py|setup\.cfg|requirements[\w.-]*\.(?:txt|in)|constraints\.txt|Pipfile|tox\.ini|noxfile\.py|pytest\.ini|mypy\.ini|\.flake8|\.pylintrc|pylintrc|ruff\.toml|\.ruff\.toml|\.pre-commit-config\.ya?ml|Dockerfile(?:\.[\w-]+)?|[\w.-]*\.dockerfile|(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml|Makefile|Justfile|Procfile|alembic\.ini|manage\.py|\.env\.example|\.editorconfig|\.coveragerc|\.gitlab-ci\.yml|\.python-version|runtime\.txt|MANIFEST\.in|py\.typed)$/i;
const DOC_NAMES =
  /^(?:README|CHANGELOG|CHANGES|HISTORY|CONTRIBUTING|ARCHITECTURE|DESIGN|NOTES|TODO|DECISIONS?)(?:\.[\w]+)?$/i;
const LICENSE_NAMES = /^(?:LICEN[CS]E|COPYING|NOTICE|AUTHORS)(?:[.-][\w.]+)?$/i;

export type PathVerdict = { role: FileRole } | { skip: SkipReason; folder: string | null };

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The verdict a path alone gives. `virtualenvRoots` are folders recognised as virtualenvs by their `pyvenv.cfg`. */
export function classifyPath(path: string, virtualenvRoots: ReadonlySet<string> = new Set()): PathVerdict {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    const folder = segments.slice(0, i + 1).join('/');
    if (virtualenvRoots.has(folder)) return { skip: 'virtualenv', folder: `${folder}/` };
    const match = DIRECTORY_REASONS.find(([pattern]) => pattern.test(segments[i] ?? ''));
    if (match) return { skip: match[1], folder: `${folder}/` };
  }
  const name = basename(path);
  if (OS_FILES.test(name)) return { skip: 'os_metadata', folder: null };
  if (BINARY_EXTENSIONS.test(name)) return { skip: 'binary', folder: null };
  if (GENERATED_NAMES.test(name)) return { skip: 'generated', folder: null };
  if (/\/migrations\/(?:\d{4}\w*|__init__)\.py$/.test(`/${path}`)) return { role: 'migration' };
  if (CONFIG_NAMES.test(name) || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return { role: 'config' };
  if (/\.(?:py|pyi|pyx)$/i.test(name)) {
    const inTests = segments.slice(0, -1).some((s) => /^tests?$|^testing$/i.test(s));
    const testName = /^(?:test_.*|.*_tests?|conftest)\.py$/i.test(name);
    return { role: inTests || testName ? 'test' : 'source' };
  }
  if (/\.sql$/i.test(name)) return { role: 'source' };
  if (LICENSE_NAMES.test(name)) return { skip: 'other_type', folder: null };
  if (DOC_NAMES.test(name) || /\.(?:md|rst|adoc)$/i.test(name) || segments[0]?.toLowerCase() === 'docs') {
    return /\.(?:md|rst|adoc|txt)$/i.test(name) || !name.includes('.')
      ? { role: 'docs' }
      : { skip: 'other_type', folder: null };
  }
  if (/\.(?:toml|cfg|ini)$/i.test(name)) return { role: 'config' };
  return { skip: 'other_type', folder: null };
}

/** Folders holding a `pyvenv.cfg` are virtualenvs whatever their name (`env/`, `py312/`). */
export function findVirtualenvRoots(entries: readonly ArchiveEntry[]): Set<string> {
  const roots = new Set<string>();
  for (const entry of entries) {
    if (entry.type === 'file' && basename(entry.path) === 'pyvenv.cfg' && entry.path.includes('/')) {
      roots.add(entry.path.slice(0, entry.path.lastIndexOf('/')));
    }
  }
  return roots;
}

export interface Selection {
  selected: SelectedFile[];
  skipped: SkippedEntry[];
  warnings: string[];
}

/** Chooses and decodes the files to review. `contents` holds (at least) the files `classifyPath` selected. */
export function selectFiles(
  entries: readonly ArchiveEntry[],
  contents: ReadonlyMap<string, Uint8Array>,
): Selection {
  const roots = findVirtualenvRoots(entries);
  const selected: SelectedFile[] = [];
  const skippedFolders = new Map<string, SkippedEntry>();
  const skipped: SkippedEntry[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const verdict = classifyPath(entry.path, roots);
    if ('skip' in verdict) {
      if (verdict.folder) {
        const folder = skippedFolders.get(verdict.folder);
        if (folder) folder.files++;
        else skippedFolders.set(verdict.folder, { path: verdict.folder, reason: verdict.skip, files: 1 });
      } else skipped.push({ path: entry.path, reason: verdict.skip, files: 1 });
      continue;
    }
    const bytes = contents.get(entry.path);
    const skip = (reason: SkipReason) => skipped.push({ path: entry.path, reason, files: 1 });
    if (!bytes) continue;
    if (bytes.length > MAX_SELECTED_FILE_BYTES) {
      skip('too_large');
      continue;
    }
    if (bytes.subarray(0, 8192).includes(0)) {
      skip('binary');
      continue;
    }
    const decoded = decode(bytes);
    if (decoded.fallback) warnings.push(`${entry.path} is not valid UTF-8; it was read as windows-1252.`);
    const content = decoded.text;
    if (content.trim() === '') {
      skip('empty');
      continue;
    }
    if (verdict.role !== 'migration' && isGenerated(content)) {
      skip('generated');
      continue;
    }
    selected.push({
      path: entry.path,
      role: verdict.role,
      content,
      lines: content.split('\n').length,
      bytes: bytes.length,
    });
  }
  const kept = withinTotal(selected);
  for (const file of selected)
    if (!kept.has(file)) skipped.push({ path: file.path, reason: 'over_review_limit', files: 1 });
  return {
    selected: selected.filter((f) => kept.has(f)),
    skipped: [...skippedFolders.values(), ...skipped],
    warnings,
  };
}

/** The files kept under `MAX_SELECTED_TOTAL_BYTES`: sources first, then tests, configuration, docs, migrations. */
function withinTotal(files: readonly SelectedFile[]): Set<SelectedFile> {
  const ranked = [...files].sort(
    (a, b) =>
      ROLE_PRIORITY[a.role] - ROLE_PRIORITY[b.role] || a.path.split('/').length - b.path.split('/').length,
  );
  const kept = new Set<SelectedFile>();
  let total = 0;
  for (const file of ranked) {
    if (total + file.bytes > MAX_SELECTED_TOTAL_BYTES) continue;
    total += file.bytes;
    kept.add(file);
  }
  return kept;
}

/** The marker tools leave at the top of what they write ("@generated", "DO NOT EDIT", "Generated by ..."). */
function isGenerated(content: string): boolean {
  const head = content.split('\n', 6).join('\n');
  return /@generated|\bDO NOT EDIT\b|\bauto-?generated\b|^\s*#\s*Generated by (?!Django)/im.test(head);
}

function decode(bytes: Uint8Array): { text: string; fallback: boolean } {
  let text: string;
  let fallback = false;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = decodeWindows1252(bytes);
    fallback = true;
  }
  return { text: text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'), fallback };
}
