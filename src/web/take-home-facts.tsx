import type { SkippedEntry } from '../takehome/select-files';
import type { StaticReport } from '../takehome/static-signals';
import type { StoredTakeHome } from '../takehome/take-home';
import { fileAnchor, lineAnchor, type PlannedFile } from './code-view';

/**
 * What Vetline made of a take-home besides its code: what it skipped and why, the static signals (measured, not
 * written by the candidate) with links to the lines they were found on, and what the archive reader warned about.
 */
const skipWords: Record<SkippedEntry['reason'], string> = {
  virtualenv: 'virtualenv',
  dependencies: 'installed dependencies',
  cache: 'cache',
  vcs: 'version control',
  build_output: 'build output',
  vendored: 'vendored code',
  editor: 'editor settings',
  os_metadata: 'operating-system files',
  generated: 'generated file',
  binary: 'binary file',
  other_type: 'not a file Vetline reviews',
  too_large: 'too large to review',
  empty: 'empty',
  over_review_limit: 'over the review size limit',
};

export function FilesRead(props: { stored: StoredTakeHome; planned: PlannedFile[] }) {
  const { stored } = props;
  const lines = stored.files.reduce((n, f) => n + f.lines, 0);
  return (
    <div>
      <p class="small">
        {stored.files.length} files read ({lines} lines) from a {stored.archive.kind} of{' '}
        {stored.archive.entries} entries; {stored.skipped.reduce((n, s) => n + s.files, 0)} files skipped.
      </p>
      <ul class="files" aria-label="Files read">
        {props.planned.map((p) => (
          <li>
            {p.rendered ? (
              <a href={`#${fileAnchor(p.index)}`}>
                <code>{p.file.path}</code>
              </a>
            ) : (
              <code>{p.file.path}</code>
            )}{' '}
            <span class="small muted">
              {p.file.role}, {p.file.lines} lines
            </span>
          </li>
        ))}
      </ul>
      {stored.warnings.length > 0 ? (
        <ul aria-label="Warnings about the archive">
          {stored.warnings.map((w) => (
            <li class="small">{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SkippedFiles(props: { skipped: readonly SkippedEntry[] }) {
  if (props.skipped.length === 0) return <p class="muted">Nothing was skipped.</p>;
  return (
    <ul id="skipped-files">
      {props.skipped.map((s) => (
        <li>
          <code>{s.path}</code>{' '}
          <span class="small">{skipWords[s.reason] ?? s.reason.replaceAll('_', ' ')}</span>
          {s.files > 1 ? <span class="small muted"> ({s.files} files)</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function StaticSignals(props: { report: StaticReport; planned: PlannedFile[] }) {
  const { python, typing, tests, signals } = props.report;
  const rendered = new Map(props.planned.filter((p) => p.rendered).map((p) => [p.file.path, p.index]));
  const coverage = typing.coverage === null ? 'n/a' : `${Math.round(typing.coverage * 100)}%`;
  return (
    <div id="static-signals">
      <dl class="kv">
        <dt>Python</dt>
        <dd>
          {python.files} files, {python.lines} lines ({python.sourceFiles} source, {python.testFiles} test,{' '}
          {python.migrationFiles} migration)
        </dd>
        <dt>Typing</dt>
        <dd>
          {typing.fullyAnnotated} of {typing.functions} source functions fully annotated ({coverage}); type
          checker: {typing.checker ?? 'none configured'}
        </dd>
        <dt>Tests</dt>
        <dd>
          {tests.functions} test functions ({tests.frameworks.join(', ') || 'no framework found'}); modules no
          test imports: {tests.untested.join(', ') || 'none'}
        </dd>
      </dl>
      <ul class="signals">
        {signals.map((s) => (
          <li>
            {s.concern ? <span class="badge warning">concern</span> : null}
            <span class="small muted">{s.category.replaceAll('_', ' ')}</span> {s.label}:{' '}
            <strong>{s.count}</strong>
            {s.examples.length > 0 ? (
              <ul>
                {s.examples.map((e) => {
                  const index = rendered.get(e.path);
                  const where = `${e.path}:${e.line}`;
                  return (
                    <li class="small">
                      {index === undefined ? (
                        <code>{where}</code>
                      ) : (
                        <a href={`#${lineAnchor(index, e.line)}`}>
                          <code>{where}</code>
                        </a>
                      )}{' '}
                      <code class="snippet">{e.text}</code>
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
