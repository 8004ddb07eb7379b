/**
 * How long the worker function may run, worked out from the LLM settings it deploys with (infra/settings.ts), and
 * how much of that time a job leaves when its deadline comes (worker-handler.ts). No SDKs here: the stack imports it.
 *
 * The records of a batch run side by side, and so do the samples of a screening; what adds up is one draft's calls
 * one after the other, and the client-side rate limiter making the batch's calls wait for room:
 *
 *   call     = LLM_TIMEOUT_MS x (LLM_MAX_RETRIES + 1) + LLM_RETRY_MAX_WAIT_MS x LLM_MAX_RETRIES
 *   draft    = 2 x call                          (the answer, and one repair turn when it is not a valid draft)
 *   requests = batch x LLM_SAMPLES x 2           (every sample of every record, each with its repair turn)
 *   room     = the requests one LLM_RATE_WINDOW_MS holds: LLM_RPM, and LLM_TPM / (the largest request: a take-home
 *              at its token budget, plus the static prompt, plus LLM_MAX_OUTPUT_TOKENS); unlimited when both are 0
 *   waits    = LLM_RATE_WINDOW_MS x ceil(requests / room)   (0 without client-side limits)
 *   timeout  = min(900, extraction 30 s + draft + waits + the deadline margin)
 *
 * With the defaults (60 s timeout, 3 retries, 30 s longest backoff, no limits): call = 330 s, draft = 660 s, timeout
 * 710 s. Lambda stops at 15 minutes; a configuration that needs longer is capped there, and its slowest jobs end
 * `failed: worker_deadline` (retryable) at the deadline rather than being killed.
 */

/** Left of the invocation when a job's deadline comes: to write `failed`, the idempotency record and the metrics. */
export const DEADLINE_MARGIN_MS = 20_000;

/** Lambda's longest timeout. */
export const MAX_LAMBDA_SECONDS = 900;

/** Reading the upload from S3 and extracting it (pdf.js and mammoth stop at 20 s), with the table writes around it. */
const EXTRACTION_SECONDS = 30;

/** The static part of a prompt (instructions, rubric, schema): about 4,600 tokens today; rounded up. */
const STATIC_PROMPT_TOKENS = 6_000;

export interface WorkerTimingInput {
  timeoutMs: number;
  maxRetries: number;
  retryMaxWaitMs: number;
  maxOutputTokens: number;
  samples: number;
  requestsPerWindow: number;
  tokensPerWindow: number;
  windowMs: number;
  /** A take-home's material budget: the largest prompt the worker sends. */
  takeHomeTokenBudget: number;
  /** SQS records per invocation. */
  batchSize: number;
}

export interface WorkerTiming {
  /** One draft's calls with their retries and the repair turn. */
  draftSeconds: number;
  /** What the client-side rate limiter may make a batch wait. */
  limiterSeconds: number;
  /** What the configuration would need, uncapped. */
  neededSeconds: number;
  /** The function's timeout: `neededSeconds`, at most Lambda's 900. */
  timeoutSeconds: number;
}

export function workerTiming(input: WorkerTimingInput): WorkerTiming {
  const callMs = input.timeoutMs * (input.maxRetries + 1) + input.retryMaxWaitMs * input.maxRetries;
  const draftSeconds = Math.ceil((2 * callMs) / 1000);
  const requests = input.batchSize * input.samples * 2;
  const largestRequest = input.takeHomeTokenBudget + STATIC_PROMPT_TOKENS + input.maxOutputTokens;
  const byRequests = input.requestsPerWindow > 0 ? input.requestsPerWindow : Number.POSITIVE_INFINITY;
  const byTokens =
    input.tokensPerWindow > 0
      ? Math.max(1, Math.floor(input.tokensPerWindow / largestRequest))
      : Number.POSITIVE_INFINITY;
  const room = Math.min(byRequests, byTokens);
  const limiterSeconds = Number.isFinite(room)
    ? Math.ceil((input.windowMs * Math.ceil(requests / room)) / 1000)
    : 0;
  const neededSeconds = EXTRACTION_SECONDS + draftSeconds + limiterSeconds + DEADLINE_MARGIN_MS / 1000;
  return {
    draftSeconds,
    limiterSeconds,
    neededSeconds,
    timeoutSeconds: Math.min(MAX_LAMBDA_SECONDS, neededSeconds),
  };
}
