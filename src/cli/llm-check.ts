import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type LlmConfig, loadConfig } from '../core/config';
import { DraftError, type DraftResult } from '../drafting/drafter';
import { OpenAiDrafter } from '../drafting/openai-drafter';
import { displayUrl } from '../drafting/provider-errors';
import type { Adjustment } from '../drafting/request-compat';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';

/**
 * `npm run llm:check`: one small, real screening request to the configured endpoint (the real prompt and rubric,
 * a six-line sample resume), through the same drafter the service uses, and a report of what worked: the URL
 * called, the structured-output mode the server accepted, any parameter it refused, how the answer was wrapped,
 * whether usage was reported, how many quotes were verbatim, and how long it took. Exit code 0 when a valid draft
 * came back, 1 when the endpoint failed, 2 when no LLM is configured or the configuration is invalid.
 */

const SAMPLE_RESUME = `Senior Python engineer, 9 years
- Designed an asyncio ingestion service in Python handling 40k events per second with back-pressure.
- Built Django REST Framework APIs for billing on PostgreSQL; added idempotency keys to payment endpoints.
- Cut p99 latency of the search API from 900 ms to 120 ms by adding Redis caching and query indexes.
- Ran the on-call rotation and wrote post-mortems for three production incidents.
- Integrated an LLM summarisation step with retries, timeouts and a token budget.`;

type Write = (line: string) => void;

export async function runLlmCheck(env: Record<string, string | undefined>, write: Write): Promise<number> {
  let llm: LlmConfig | undefined;
  let rubricId: string;
  try {
    const config = loadConfig(env);
    llm = config.llm;
    rubricId = config.rubricId;
  } catch (error) {
    if (error instanceof ConfigError) {
      write(error.message);
      return 2;
    }
    throw error;
  }
  if (!llm) {
    write('No LLM is configured: Vetline drafts with the offline rules drafter.');
    write(
      'Set OPENAI_BASE_URL (a self-hosted server) and/or OPENAI_API_KEY, and OPENAI_MODEL, then run this again.',
    );
    return 2;
  }
  const [rubric, template] = await Promise.all([loadRubric(rubricId), loadPromptTemplate('resume-screen')]);
  const drafter = new OpenAiDrafter(llm);
  const row = (label: string, value: string) => write(`  ${label.padEnd(18)} ${value}`);

  write('Vetline LLM check: one screening request of a six-line sample resume');
  row('endpoint', displayUrl(drafter.endpointUrl));
  row('model', llm.model);
  row('key', keyDescription(llm, env));
  write('');

  const started = performance.now();
  let result: DraftResult;
  try {
    result = await drafter.draft({ text: SAMPLE_RESUME, rubric, template, screeningId: 'llm-check' });
  } catch (error) {
    if (!(error instanceof DraftError)) throw error;
    row('result', `FAILED (${error.code}) after ${seconds(started)} and ${drafter.stats.attempts} call(s)`);
    write(`  ${error.message}`);
    for (const line of adjustmentLines(drafter.adjustments)) row('tried', line);
    return 1;
  }
  const calls = drafter.stats.attempts;
  row('result', `OK: a valid draft of ${result.draft.competencies.length} competencies`);
  row('latency', `${seconds(started)} for ${calls} HTTP call${calls === 1 ? '' : 's'}`);
  row(
    'answered by',
    result.model === llm.model ? result.model : `${result.model} (configured: ${llm.model})`,
  );
  row('structured output', formatLine(result, drafter.adjustments));
  const shape = drafter.requestShape;
  const refused = (feature: Adjustment['feature']) => drafter.adjustments.find((a) => a.feature === feature);
  const tokenRefusal = refused('max_completion_tokens');
  row(
    'token limit',
    tokenRefusal ? `max_tokens (max_completion_tokens refused: ${tokenRefusal.reason})` : shape.tokenLimit,
  );
  const temperatureRefusal = refused('temperature');
  row(
    'temperature',
    temperatureRefusal
      ? `not sent: the model takes only its default (${temperatureRefusal.reason})`
      : `${llm.temperature} sent`,
  );
  const wrapping = result.answerWrapping ?? [];
  row(
    'answer format',
    wrapping.length === 0 ? 'bare JSON' : `JSON found after removing: ${wrapping.join(', ')}`,
  );
  const repaired = result.notes?.find((n) => n.code === 'repaired_output');
  row('repair turn', repaired ? `needed: ${repaired.message}` : 'not needed');
  const u = result.usage;
  row(
    'usage',
    result.usageReported === false
      ? 'not reported by the server: recorded as 0, cost unknown'
      : `reported: ${u.promptTokens} prompt (${u.cachedPromptTokens} cached), ${u.completionTokens} completion, ${u.totalTokens} total`,
  );
  const quotes = result.draft.competencies.flatMap((c) => c.evidence.map((e) => e.quote));
  const verbatim = quotes.filter((q) => q.trim() !== '' && SAMPLE_RESUME.includes(q)).length;
  row('quotes', `${verbatim} of ${quotes.length} copied verbatim from the sample resume`);
  if (refused('response_format') && llm.compat?.structuredOutput !== shape.structuredOutput) {
    write('');
    write(
      `Tip: LLM_STRUCTURED_OUTPUT=${shape.structuredOutput} skips the refused first call after each start of Vetline.`,
    );
  }
  return 0;
}

function keyDescription(llm: LlmConfig, env: Record<string, string | undefined>): string {
  if (!env.OPENAI_API_KEY) return 'none set: a placeholder is sent (fine for servers without authentication)';
  if (llm.compat?.azureApiVersion)
    return `set, sent as an api-key header (Azure, api-version ${llm.compat.azureApiVersion})`;
  return llm.compat?.apiKeyHeader === 'api-key'
    ? 'set, sent as an api-key header'
    : 'set, sent as Authorization: Bearer';
}

function formatLine(result: DraftResult, adjustments: readonly Adjustment[]): string {
  const refusal = adjustments.find((a) => a.feature === 'response_format');
  const why = refusal ? `; the server refused json_schema: ${refusal.reason}` : '';
  switch (result.structuredOutput) {
    case 'json_schema':
      return 'json_schema (the answer was constrained to the schema)';
    case 'json_object':
      return `json_object (JSON mode, not schema-constrained${why})`;
    default:
      return `none (plain text, not schema-constrained${why})`;
  }
}

function adjustmentLines(adjustments: readonly Adjustment[]): string[] {
  const what = {
    response_format: 'a simpler response_format',
    max_completion_tokens: 'max_tokens',
    temperature: 'no temperature',
  };
  return adjustments.map((a) => `${what[a.feature]} after the server refused ${a.feature}: ${a.reason}`);
}

const seconds = (started: number) => {
  const ms = performance.now() - started;
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
};

const invoked = process.argv[1] ? pathToFileURL(path.resolve(process.argv[1])).href : '';
if (import.meta.url === invoked) {
  runLlmCheck(process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
