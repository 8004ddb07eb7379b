import type { Flag } from '../assessment/assessment';
import type { DraftingConfig } from '../core/config';
import type { Logger } from '../core/logger';
import { type DraftCache, draftCacheKey } from '../drafting/draft-cache';
import { DraftError, type Drafter, type DraftResult, zeroUsage } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { staticPromptHash } from '../prompting/build-messages';
import type { PromptTemplate } from '../prompting/prompt-template';
import type { Rubric } from '../rubric/rubric';
import type { PreparedMaterial } from '../safety/prepare-material';
import type { StatusReason } from './screening';

/**
 * Getting the drafter's answers for prepared material: from the draft cache when an identical draft is stored
 * (no LLM call), else `samples` calls made side by side (the drafter's rate limiter spaces them), else, when the
 * provider stays down and the fallback is configured, the offline drafter, marked as such.
 */
export interface DraftSource {
  drafter: Drafter;
  rubric: Rubric;
  template: PromptTemplate;
  drafting: DraftingConfig;
  draftCache: DraftCache | null;
  /** The LLM's identity for the cache key; `null` with the offline drafter (whose drafts are not cached). */
  llm: { model: string; temperature: number } | null;
  now: () => Date;
  logger: Logger;
  /** Stops the drafter's calls, waits and retries (the worker's deadline, or its lease taken): see job-control.ts. */
  signal?: AbortSignal;
}

export interface Obtained {
  results: DraftResult[];
  flags: Flag[];
  requested: number;
  cache: { hit: true; key: string; storedAt: string } | null;
}

const info = (code: Flag['code'], severity: Flag['severity'], message: string): Flag => ({
  code,
  severity,
  message,
  competencyId: null,
  span: null,
});

export async function obtainDrafts(
  source: DraftSource,
  orgId: string,
  screeningId: string,
  prepared: PreparedMaterial,
  options: { bypassCache?: boolean } = {},
): Promise<{ ok: true; obtained: Obtained } | { ok: false; reason: StatusReason }> {
  const { drafter, rubric, template, drafting } = source;
  const requested = drafter.kind === 'llm' ? drafting.samples : 1;
  const request = { text: prepared.material.text, rubric, template, screeningId };

  const cacheKey =
    source.draftCache && source.llm && drafter.kind === 'llm'
      ? draftCacheKey({
          materialHash: prepared.materialHash,
          rubricId: rubric.id,
          rubricVersion: rubric.version,
          rubricHash: rubric.hash,
          promptHash: staticPromptHash(template, rubric),
          model: source.llm.model,
          temperature: source.llm.temperature,
          samples: requested,
        })
      : null;
  // A re-draft asked for by an admin is made anew; its result then replaces the cached one below.
  if (cacheKey && source.draftCache && !options.bypassCache) {
    const cached = await source.draftCache.get(orgId, cacheKey, source.now());
    if (cached) {
      const results = cached.drafts.map(
        (draft): DraftResult => ({
          draft,
          drafter: 'llm',
          model: cached.model,
          temperature: cached.temperature,
          promptHash: cached.promptHash,
          usage: zeroUsage(),
          samples: 1,
          ...(cached.requestHash ? { requestHash: cached.requestHash } : {}),
        }),
      );
      return {
        ok: true,
        obtained: {
          results,
          flags: [],
          requested,
          cache: { hit: true, key: cacheKey, storedAt: cached.storedAt },
        },
      };
    }
  }

  const settled = await Promise.allSettled(
    Array.from({ length: requested }, () => drafter.draft(request, source.signal)),
  );
  const results: DraftResult[] = [];
  const errors: DraftError[] = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') results.push(s.value);
    else if (s.reason instanceof DraftError) errors.push(s.reason);
    else throw s.reason;
  }
  const flags: Flag[] = [];

  if (results.length === 0) {
    const error = errors[0] as DraftError;
    if (!(error.retryable && drafting.fallbackOffline)) {
      return { ok: false, reason: { code: error.code, message: error.message, retryable: error.retryable } };
    }
    source.logger.warn('LLM unavailable; drafted offline instead', { screeningId, code: error.code });
    const offline = await new OfflineDrafter().draft(request);
    flags.push(
      info(
        'llm_fallback',
        'warning',
        `The LLM could not be reached (${error.code}); this draft comes from the offline rules drafter instead. Re-queue the screening for an LLM draft.`,
      ),
    );
    return { ok: true, obtained: { results: [offline], flags, requested, cache: null } };
  }

  if (errors.length > 0) {
    flags.push(
      info(
        'sample_failed',
        'info',
        `${errors.length} of ${requested} samples failed (${[...new Set(errors.map((e) => e.code))].join(', ')}); the draft rests on the other ${results.length}.`,
      ),
    );
  }
  if (cacheKey && source.draftCache && errors.length === 0) {
    const first = results[0] as DraftResult;
    const usage = results.reduce(
      (sum, r) => ({
        promptTokens: sum.promptTokens + r.usage.promptTokens,
        cachedPromptTokens: sum.cachedPromptTokens + r.usage.cachedPromptTokens,
        completionTokens: sum.completionTokens + r.usage.completionTokens,
        totalTokens: sum.totalTokens + r.usage.totalTokens,
      }),
      zeroUsage(),
    );
    try {
      await source.draftCache.put(
        orgId,
        cacheKey,
        {
          drafts: results.map((r) => r.draft),
          model: first.model,
          temperature: first.temperature,
          promptHash: first.promptHash,
          requestHash: first.requestHash ?? null,
          usage,
          storedAt: source.now().toISOString(),
        },
        source.now(),
      );
    } catch (error) {
      // A cache that cannot be written costs a future call, not this draft.
      source.logger.warn('draft cache write failed', { screeningId, error });
    }
  }
  return { ok: true, obtained: { results, flags, requested, cache: null } };
}
