import type { CodeBlock, CodeText } from '../safety/code-text';
import type { Edit } from '../safety/material';
import { proseView } from './prose-view';
import type { FileRole, SelectedFile, SkippedEntry } from './select-files';
import { PATTERNS } from './signal-patterns';
import type { StaticReport } from './static-signals';

/**
 * What the model reads of a take-home: a summary of the static signals, the list of what was skipped, then the files
 * in chunks, most telling first, until the token budget is spent. Each chunk is a `<file>` block naming its path and
 * line range; what did not fit is listed at the end. The text keeps every file's own characters: its layout (`code`)
 * says where each block's excerpt sits, so the trust work (src/safety, grounding) can tell any offset as a file and
 * line, and the one change the rendering needs (a candidate's line that looks like a block marker is defused) is an
 * edit applied with the others, not a change to the text.
 */

export interface Chunk {
  path: string;
  role: FileRole;
  /** 1-based, inclusive. */
  lineStart: number;
  lineEnd: number;
  /** The file's own text for these lines, unaltered. */
  text: string;
  score: number;
}

export interface TakeHomeMaterial {
  text: string;
  code: CodeText;
  shown: Chunk[];
  omitted: Array<Pick<Chunk, 'path' | 'lineStart' | 'lineEnd'>>;
  tokens: number;
}

export interface TakeHomeSnapshot {
  files: readonly SelectedFile[];
  skipped: readonly SkippedEntry[];
  signals: StaticReport;
}

/** A rough count that errs high: code runs at about three characters a token in the usual tokenizers. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 3);

const CHUNK_LINES = 160;
const DOC_CHUNK_LINES = 80;
const ROLE_WEIGHT: Record<FileRole, number> = { source: 10, test: 8, config: 5, docs: 4, migration: 2 };
const TELLING_NAME =
  /(?:models|views|services?|api|tasks|ingest\w*|pipelines?|workers?|consumers?|handlers?|repositor(?:y|ies)|serializers|schemas|clients?|routers?|main|app)\.py$/i;
const BOILERPLATE_NAME = /(?:__init__|settings|urls|admin|apps|asgi|wsgi|manage|conftest)\.py$/i;

export function chunkFile(file: SelectedFile): Chunk[] {
  const lines = file.content.split('\n');
  const size = file.role === 'docs' ? DOC_CHUNK_LINES : CHUNK_LINES;
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = Math.min(lines.length, start + size);
    if (end < lines.length) {
      // Prefer to cut before a top-level definition in the second half of the window.
      for (let k = end; k > start + size / 2; k--) {
        if (/^(?:def|class|async\s+def|@)\S*/.test(lines[k] ?? '')) {
          end = k;
          break;
        }
      }
    }
    const text = lines.slice(start, end).join('\n');
    if (text.trim() !== '') {
      chunks.push({ path: file.path, role: file.role, lineStart: start + 1, lineEnd: end, text, score: 0 });
    }
    start = end;
  }
  return chunks.map((chunk, k) => ({ ...chunk, score: scoreChunk(file, chunk, k) }));
}

/** Role first, then how many kinds of signal the chunk shows, then a telling name; later chunks of a file count less. */
function scoreChunk(file: SelectedFile, chunk: Chunk, index: number): number {
  const lines = chunk.text.split('\n');
  const kinds = PATTERNS.filter(
    (p) => p.roles.includes(file.role) && lines.some((l) => p.pattern.test(l)),
  ).length;
  let score = ROLE_WEIGHT[file.role] + Math.min(10, 1.5 * kinds);
  if (TELLING_NAME.test(file.path)) score += 2;
  if (BOILERPLATE_NAME.test(file.path)) score -= 3;
  if (file.role === 'docs' && /(?:^|\/)README[^/]*$/i.test(file.path) && file.path.split('/').length <= 2)
    score += 8;
  if (file.lines < 5) score -= 3;
  return score * 0.75 ** index;
}

export function buildMaterial(
  snapshot: TakeHomeSnapshot,
  options: { tokenBudget: number },
): TakeHomeMaterial {
  const header = [
    `Take-home submission: ${snapshot.files.length} files selected for review (paths relative to the archive).`,
    '',
    summariseSignals(snapshot.signals),
    '',
    summariseSkipped(snapshot.skipped),
    '',
    '## Files, most telling first (quote only from inside the file blocks)',
  ].join('\n');
  const candidates = snapshot.files.flatMap(chunkFile).sort((a, b) => b.score - a.score);
  let tokens = estimateTokens(header);
  const shown: Chunk[] = [];
  const omitted: TakeHomeMaterial['omitted'] = [];
  for (const chunk of candidates) {
    const cost = estimateTokens(renderChunk(chunk));
    if (tokens + cost <= options.tokenBudget) {
      shown.push(chunk);
      tokens += cost;
    } else omitted.push({ path: chunk.path, lineStart: chunk.lineStart, lineEnd: chunk.lineEnd });
  }
  // Files in the order of their best chunk, each file's chunks in line order.
  const fileOrder = [...new Set(shown.map((c) => c.path))];
  const ordered = fileOrder.flatMap((path) =>
    shown.filter((c) => c.path === path).sort((a, b) => a.lineStart - b.lineStart),
  );
  const footer =
    omitted.length === 0
      ? ''
      : `\n\n## Not shown (over the review budget)\n${omitted.map((o) => `- ${o.path} lines ${o.lineStart}-${o.lineEnd}`).join('\n')}`;

  const proseLines = new Map(
    snapshot.files.map((f) => [f.path, proseView(f.path, f.content).split('\n')] as const),
  );
  const parts: string[] = [header, '\n\n'];
  const prose: string[] = [header, '\n\n'];
  const blocks: CodeBlock[] = [];
  const structural: Edit[] = [];
  let at = header.length + 2;
  ordered.forEach((chunk, k) => {
    const open = openTag(chunk);
    const body = at + open.length + 1;
    const lines = proseLines.get(chunk.path) ?? chunk.text.split('\n');
    parts.push(open, '\n', chunk.text, '\n', CLOSE_TAG);
    // Our own markers are filler in the prose view (the path, the candidate's, aside): no injection match can run
    // from one block into the next.
    prose.push(openProse(open), '\n', lines.slice(chunk.lineStart - 1, chunk.lineEnd).join('\n'), '\n');
    prose.push(filler(CLOSE_TAG));
    blocks.push({ path: chunk.path, start: body, end: body + chunk.text.length, lineStart: chunk.lineStart });
    structural.push(...defuseEdits(chunk.text, body));
    at = body + chunk.text.length + 1 + CLOSE_TAG.length;
    if (k < ordered.length - 1) {
      parts.push('\n\n');
      prose.push('\n\n');
      at += 2;
    }
  });
  parts.push(footer);
  prose.push(footer);
  const text = parts.join('');
  return {
    text,
    code: { blocks, prose: prose.join(''), structural },
    shown: ordered,
    omitted,
    tokens: estimateTokens(text),
  };
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const CLOSE_TAG = '</file>';
const openTag = (chunk: Chunk): string =>
  `<file path="${escapeAttribute(chunk.path)}" lines="${chunk.lineStart}-${chunk.lineEnd}" role="${chunk.role}">`;
const filler = (marker: string): string => '.'.repeat(marker.length);
const openProse = (open: string): string => {
  const path = open.indexOf('"') + 1;
  const end = open.indexOf('"', path);
  return `${filler(open.slice(0, path))}${open.slice(path, end)}${filler(open.slice(end))}`;
};

/** A line of the candidate's that looks like one of our tags is defused (as an edit), so it cannot end or fake a block. */
function defuseEdits(text: string, offset: number): Edit[] {
  return [...text.matchAll(/^(\s*)<(?=\/?\s*file\b)/gim)].map((m) => {
    const start = offset + m.index + (m[1] ?? '').length;
    return { kind: 'markup', start, end: start + 1, replacement: '&lt;' };
  });
}

/** A chunk as the model reads it when nothing in it needs defusing. */
export function renderChunk(chunk: Chunk): string {
  return `${openTag(chunk)}\n${chunk.text}\n${CLOSE_TAG}`;
}

/** The `<file>` blocks of a material as sent, back as chunks (the offline drafter reads the material this way). */
export function parseMaterial(material: string): Chunk[] {
  const out: Chunk[] = [];
  const block = /^<file path="([^"]*)" lines="(\d+)-(\d+)" role="(\w+)">\n([\s\S]*?)\n<\/file>$/gm;
  for (const m of material.matchAll(block)) {
    const role = m[4] as FileRole;
    const path = (m[1] ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    out.push({ path, role, lineStart: Number(m[2]), lineEnd: Number(m[3]), text: m[5] ?? '', score: 0 });
  }
  return out;
}

function summariseSignals(report: StaticReport): string {
  const { python, typing, tests } = report;
  const pct = typing.coverage === null ? 'n/a' : `${Math.round(typing.coverage * 100)}%`;
  const lines = [
    '## Static analysis by Vetline (measured from the files, not written by the candidate: do not quote it)',
    `- Python: ${python.files} files, ${python.lines} lines (${python.sourceFiles} source, ${python.testFiles} test, ${python.migrationFiles} migration).`,
    `- Typing: ${typing.fullyAnnotated} of ${typing.functions} source functions fully annotated (${pct}); type checker configured: ${typing.checker ?? 'none'}.`,
    `- Tests: ${tests.functions} test functions (${tests.frameworks.join(', ') || 'no framework found'}); modules the tests import: ${tests.exercised.join(', ') || 'none'}; modules no test imports: ${tests.untested.join(', ') || 'none'}.`,
  ];
  for (const signal of report.signals) {
    const where = signal.examples.map((e) => `${e.path}:${e.line}`).join(', ');
    lines.push(
      `- ${signal.concern ? 'Concern: ' : ''}${signal.category} / ${signal.label}: ${signal.count} (${where})`,
    );
  }
  return lines.join('\n');
}

function summariseSkipped(skipped: readonly SkippedEntry[]): string {
  if (skipped.length === 0) return '## Skipped by Vetline: nothing.';
  const shown = skipped
    .slice(0, 40)
    .map((s) => `- ${s.path} (${s.reason.replace('_', ' ')}${s.files > 1 ? `, ${s.files} files` : ''})`);
  const more = skipped.length > 40 ? [`- and ${skipped.length - 40} more`] : [];
  return ['## Skipped by Vetline (not shown)', ...shown, ...more].join('\n');
}
