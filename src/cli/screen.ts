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
import { submitResume } from '../screening/intake';
import { formatAssessment } from './format-assessment';

const usage = `Usage: npm run screen -- <file-or-folder>... [--json] [--out <folder>]

Screens resumes (PDF, DOCX, TXT, MD) through the same pipeline as the API: stored in the local table under the dev
organisation (so they also appear in the review queue), drafted by the LLM when OPENAI_* is set, else offline.
  --json          print each assessment as JSON instead of text
  --out <folder>  also save each assessment as <folder>/<file>.assessment.json
  --timeout <s>   give up waiting for a draft after this many seconds (default 300)`;

async function filesFrom(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input);
    if (info.isDirectory()) {
      const names = (await readdir(input)).filter((n) => /\.(pdf|docx|txt|md)$/i.test(n)).sort();
      files.push(...names.map((n) => path.join(input, n)));
    } else files.push(input);
  }
  return files;
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
      timeout: { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const files = await filesFrom(positionals);
  if (files.length === 0) {
    process.stderr.write('No resumes found (PDF, DOCX, TXT or MD).\n');
    return 2;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const runtime = await startLocalRuntime(config, { logger: createLogger(config.logLevel), resume: false });
  let failures = 0;
  try {
    const tokens = await seedDevUsers(runtime.services.auth, config.dataDir, new Date());
    const principal = (await runtime.services.auth.resolveToken(tokens.tokens.recruiter)) as Principal;
    if (values.out) await mkdir(values.out, { recursive: true });
    const timeoutMs = Number(values.timeout) * 1000;

    for (const [i, file] of files.entries()) {
      const label = `[${i + 1}/${files.length}] ${path.basename(file)}`;
      const started = Date.now();
      progress(`${label}: submitting`);
      let id: string;
      try {
        const screening = await submitResume(runtime.services, principal, {
          bytes: new Uint8Array(await readFile(file)),
          filename: path.basename(file),
          candidate: { name: null, email: null, externalId: null, position: null },
          source: 'cli',
        });
        id = screening.id;
      } catch (error) {
        if (!isAppError(error)) throw error;
        failures++;
        progress(`${label}: refused: ${error.message} (${error.code})`);
        continue;
      }
      let lastStatus = '';
      let record = await runtime.services.screenings.get(principal.orgId, id);
      while (
        record &&
        !['drafted', 'failed'].includes(record.screening.status) &&
        Date.now() - started < timeoutMs
      ) {
        if (record.screening.status !== lastStatus) {
          lastStatus = record.screening.status;
          progress(`${label}: ${lastStatus}`);
        }
        await new Promise((r) => setTimeout(r, 100));
        record = await runtime.services.screenings.get(principal.orgId, id);
      }
      if (!record?.draft) {
        failures++;
        const reason = record?.screening.statusReason;
        progress(
          `${label}: ${record?.screening.status ?? 'missing'}${reason ? `: ${reason.message} (${reason.code})` : ''}`,
        );
        continue;
      }
      progress(`${label}: drafted in ${Date.now() - started} ms (${id})`);
      if (values.json)
        process.stdout.write(
          `${JSON.stringify({ file, screeningId: id, assessment: record.draft }, null, 2)}\n`,
        );
      else process.stdout.write(`\n${formatAssessment(`${path.basename(file)} (${id})`, record.draft)}\n\n`);
      if (values.out) {
        const target = path.join(values.out, `${path.basename(file)}.assessment.json`);
        await writeFile(target, `${JSON.stringify(record.draft, null, 2)}\n`);
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
