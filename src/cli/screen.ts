import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Principal } from '../auth/auth-store';
import { seedDevUsers } from '../auth/dev-seed';
import { isAppError } from '../core/app-error';
import { ConfigError, loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { JavaMissingError } from '../local/dynamodb-local';
import { startLocalRuntime } from '../local/runtime';
import { requireResumeRubric } from '../rubric/rubric-choice';
import { CandidateFields } from '../screening/screening';
import { formatAssessment } from './format-assessment';
import { type CliCandidate, type Submitted, submissionsFor, waitForDraft } from './screen-jobs';

const usage = `Usage: npm run screen -- <file-or-folder>... [--take-home <archive>] [--name <name>] [--email <address>]
       [--rubric <id>] [--json] [--out <folder>]

Screens resumes (PDF, DOCX, TXT, MD) and take-homes (.zip, .tar.gz) through the same pipeline as the API: stored in
the local table under the dev organisation (so they also appear in the review queue), drafted by the LLM when
OPENAI_* is set, else offline. Each file is its own candidate.
  --take-home <archive>  screen this take-home with the one resume given, as one candidate (both are linked)
  --name <name>          the candidate's full name, for one candidate only; blind screening removes it (and the
                         variants the resume itself gives) before the model sees the text. Without it the name is
                         read from the resume, and a resume whose name cannot be found is not sent at all
  --email <address>      the candidate's email, removed the same way
  --rubric <id>          the resume rubric (prompts/rubrics/, kind resume), for example senior-python-data-engineer;
                         default: the dev organisation's choice (Settings), else VETLINE_RUBRIC
  --json                 print each assessment as JSON instead of text
  --out <folder>         also save each assessment as <folder>/<file>.assessment.json
  --timeout <s>          give up waiting for a draft after this many seconds (default 300)`;

const READABLE = /\.(?:pdf|docx|txt|md|zip|tar\.gz|tgz)$/i;

async function filesFrom(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input);
    if (info.isDirectory()) {
      const names = (await readdir(input)).filter((n) => READABLE.test(n)).sort();
      files.push(...names.map((n) => path.join(input, n)));
    } else files.push(input);
  }
  return files;
}

/** `--name` and `--email` read as the API reads them (CandidateFields): a malformed email is refused, not dropped. */
function candidateFrom(
  name: string | undefined,
  email: string | undefined,
): { ok: true; candidate: CliCandidate } | { ok: false; message: string } {
  const parsed = CandidateFields.pick({ name: true, email: true }).safeParse({
    name: name ?? null,
    email: email ?? null,
  });
  if (parsed.success) return { ok: true, candidate: parsed.data };
  const field = parsed.error.issues[0]?.path[0] === 'email' ? '--email' : '--name';
  return {
    ok: false,
    message: `${field} is not valid: ${field === '--email' ? 'give an email address' : 'give 1 to 200 characters'}.`,
  };
}

async function main(): Promise<number> {
  // The AWS SDK warns at every client it builds that its 2027 releases need Node 22. Lambda runs 22; on a developer's
  // Node 20 the notice says nothing they can act on here (the README names the Node versions), so it is off locally.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      'take-home': { type: 'string' },
      timeout: { type: 'string', default: '300' },
      name: { type: 'string' },
      email: { type: 'string' },
      rubric: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const files = await filesFrom(positionals);
  if (files.length === 0) {
    process.stderr.write('No resumes or take-homes found (PDF, DOCX, TXT, MD, ZIP or TAR.GZ).\n');
    return 2;
  }
  const takeHome = values['take-home'];
  if (takeHome && files.length !== 1) {
    process.stderr.write(
      '--take-home goes with exactly one resume: the two are screened as one candidate.\n',
    );
    return 2;
  }
  const who = candidateFrom(values.name, values.email);
  if (!who.ok) {
    process.stderr.write(`${who.message}\n`);
    return 2;
  }
  if ((who.candidate.name || who.candidate.email) && files.length !== 1) {
    process.stderr.write(
      '--name and --email belong to one candidate: give one resume (with --take-home, if any), or one take-home.\n',
    );
    return 2;
  }
  if (values.rubric !== undefined) {
    try {
      await requireResumeRubric(values.rubric, '--rubric');
    } catch (error) {
      if (!isAppError(error)) throw error;
      process.stderr.write(`--rubric: ${error.message}\n`);
      return 2;
    }
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const runtime = await startLocalRuntime(config, { logger: createLogger(config.logLevel), resume: false });
  const { services } = runtime;
  let failures = 0;
  try {
    const tokens = await seedDevUsers(services.auth, config.dataDir, new Date());
    const principal = (await services.auth.resolveToken(tokens.tokens.recruiter)) as Principal;
    if (values.out) await mkdir(values.out, { recursive: true });
    const timeoutMs = Number(values.timeout) * 1000;

    const groups = takeHome ? [[files[0] as string, takeHome]] : files.map((f) => [f]);
    for (const [i, group] of groups.entries()) {
      const label = `[${i + 1}/${groups.length}] ${group.map((f) => path.basename(f)).join(' + ')}`;
      const started = Date.now();
      progress(`${label}: submitting`);
      let submitted: Submitted[];
      try {
        submitted = await submissionsFor(services, principal, group, readFile, who.candidate, values.rubric);
      } catch (error) {
        if (!isAppError(error)) throw error;
        failures++;
        // A resume and a take-home: the one that was readable is kept and drafted all the same.
        const kept = Array.isArray(error.details?.related)
          ? (error.details.related as Array<{ id: string }>)
          : [];
        const also = kept.length > 0 ? `; kept and queued: ${kept.map((r) => r.id).join(', ')}` : '';
        progress(`${label}: refused: ${error.message} (${error.code})${also}`);
        continue;
      }
      for (const { file, id } of submitted) {
        const name = `${label.split(' ')[0]} ${path.basename(file)}`;
        const done = await waitForDraft(services, principal.orgId, id, timeoutMs, (s) =>
          progress(`${name}: ${s}`),
        );
        if (!done.ok) {
          failures++;
          progress(`${name}: ${done.message}`);
          if (done.code === 'blind_screening_failed' && !who.candidate.name) {
            progress(
              `${name}: the candidate's name could not be found in the file, so blind screening could not remove ` +
                'it and nothing was sent to the model. Screen it again with --name "<full name>" (and --email).',
            );
          }
          continue;
        }
        progress(`${name}: drafted in ${Date.now() - started} ms (${id})`);
        const { assessment, files: code } = done;
        if (values.json) {
          process.stdout.write(`${JSON.stringify({ file, screeningId: id, assessment }, null, 2)}\n`);
        } else {
          process.stdout.write(
            `\n${formatAssessment(`${path.basename(file)} (${id})`, assessment, code)}\n\n`,
          );
        }
        if (values.out) {
          const target = path.join(values.out, `${path.basename(file)}.assessment.json`);
          await writeFile(target, `${JSON.stringify(assessment, null, 2)}\n`);
        }
      }
    }
  } finally {
    await runtime.stop();
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof JavaMissingError)
      process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
