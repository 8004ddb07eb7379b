import { z } from 'zod';
import { HiddenReason } from '../extraction/hidden-span';

/**
 * The assessment: one schema for the LLM call, the API, storage and the UI.
 *
 * `ModelDraft` is the part a drafter (LLM or offline rules) writes. It is deliberately plain (every field required,
 * `null` instead of absent, no unions) so that it works as a strict JSON schema for OpenAI structured outputs and
 * for the grammar-constrained decoders of vLLM, Ollama and llama.cpp.
 *
 * `Assessment` is what Vetline stores and serves: the same draft after grounding (every quote located in the
 * candidate's text, with offsets), plus flags and provenance. It is built from `ModelDraft`'s pieces, so the two
 * cannot drift apart.
 */

export const Level = z
  .number()
  .int()
  .min(0)
  .max(4)
  .describe('0 none, 1 exposure, 2 working, 3 senior, 4 expert');
export type Level = z.infer<typeof Level>;

export const Confidence = z.number().min(0).max(1).describe('How sure the drafter is of the level, 0 to 1');

export const Recommendation = z.enum(['advance', 'hold', 'decline']);
export type Recommendation = z.infer<typeof Recommendation>;

export const Seniority = z.enum(['junior', 'mid', 'senior', 'staff', 'principal']);
export type Seniority = z.infer<typeof Seniority>;

export const ModelEvidence = z.object({
  quote: z
    .string()
    .describe("A verbatim quote from the candidate's material, copied exactly, at most ~300 chars"),
});

export const ModelCompetency = z.object({
  competencyId: z.string().describe('The id of a competency in the rubric'),
  level: Level.nullable().describe('null when the material gives insufficient evidence'),
  confidence: Confidence,
  rationale: z.string().describe('Why this level, citing the behavioural anchor it meets'),
  evidence: z.array(ModelEvidence),
});

export const TechnicalQuestion = z.object({
  competencyId: z.string(),
  question: z.string(),
  lookFor: z.string().describe('What a strong answer contains'),
});

export const InterviewPlan = z.object({
  technicalScreen: z.array(TechnicalQuestion).describe('Questions aimed at weak or unverified competencies'),
  systemDesign: z.object({
    prompt: z.string().describe('A system-design exercise fitted to the claims in the material'),
    focus: z.array(z.string()),
  }),
  cultureFocus: z.array(z.string()).describe('Focus areas for the culture-alignment interview'),
});
export type InterviewPlan = z.infer<typeof InterviewPlan>;

export const ModelDraft = z.object({
  competencies: z.array(ModelCompetency),
  summary: z.string(),
  strengths: z.array(z.string()),
  concerns: z.array(z.string()),
  estimatedSeniority: Seniority.nullable(),
  recommendation: Recommendation.describe('Advisory only: a human decides'),
  interviewPlan: InterviewPlan,
});
export type ModelDraft = z.infer<typeof ModelDraft>;

// ---- What is stored and served -------------------------------------------------------------------------------

export const EvidenceSource = z.enum(['resume', 'take-home']);

export const Evidence = ModelEvidence.extend({
  source: EvidenceSource,
  /** Character offsets in the extracted resume text; `null` for take-home evidence. */
  start: z.number().int().min(0).nullable(),
  end: z.number().int().min(0).nullable(),
  /** Take-home evidence: the file and its 1-based line range; `null` for resume evidence. */
  file: z.string().nullable(),
  lineStart: z.number().int().min(1).nullable(),
  lineEnd: z.number().int().min(1).nullable(),
});
export type Evidence = z.infer<typeof Evidence>;

export const AssessedCompetency = ModelCompetency.extend({
  name: z.string(),
  evidence: z.array(Evidence),
  /** Max minus min level across samples; `null` with a single sample. */
  spread: z.number().int().min(0).max(4).nullable(),
  /** The verified level each sample gave (after grounding), in sample order; absent on older drafts. */
  sampleLevels: z.array(Level.nullable()).optional(),
});
export type AssessedCompetency = z.infer<typeof AssessedCompetency>;

export const FlagCode = z.enum([
  'offline_drafter',
  'llm_fallback',
  'unverifiable_quote',
  'insufficient_evidence',
  'unknown_competency',
  'missing_competency',
  'hidden_text',
  'injection_attempt',
  'unstable_score',
  'stale_rubric',
  // Added with evidence-grounded drafting (additive; older drafts never carry them).
  'injected_evidence',
  'duplicate_evidence',
  'repaired_output',
  'extra_fields',
  'echoed_prompt',
  'echoed_material',
  'oversized_output',
  'plan_completed',
  'sample_failed',
  // Added with endpoint compatibility (additive): output not schema-constrained, token usage not reported.
  'unconstrained_output',
  'usage_unknown',
]);
export type FlagCode = z.infer<typeof FlagCode>;

/** A place in a take-home: a file of the archive and a 1-based, inclusive line range. */
export const FileLocation = z.object({
  file: z.string(),
  lineStart: z.number().int().min(1),
  lineEnd: z.number().int().min(1),
});
export type FileLocation = z.infer<typeof FileLocation>;

export const Flag = z.object({
  code: FlagCode,
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  competencyId: z.string().nullable(),
  /** Where in the resume text the flag points, when it points somewhere. */
  span: z.object({ start: z.number().int().min(0), end: z.number().int().min(0) }).nullable(),
  /**
   * For flags about hidden text (not part of the resume text, so `span` is null): which entry of the stored text's
   * `hidden` list, where the reason is, and `start`/`end` inside that hidden span's own text.
   */
  hidden: z
    .object({
      index: z.number().int().min(0),
      page: z.number().int().min(1).nullable(),
      reason: HiddenReason,
      start: z.number().int().min(0),
      end: z.number().int().min(0),
    })
    .optional(),
  /** For flags about a take-home (its code is not one text, so `span` is null): the file and lines they point at. */
  location: FileLocation.optional(),
});
export type Flag = z.infer<typeof Flag>;

export const TokenUsage = z.object({
  promptTokens: z.number().int().min(0),
  cachedPromptTokens: z.number().int().min(0),
  completionTokens: z.number().int().min(0),
  totalTokens: z.number().int().min(0),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const Provenance = z.object({
  drafter: z.enum(['llm', 'offline']),
  rubricId: z.string(),
  rubricVersion: z.string(),
  rubricHash: z.string(),
  promptId: z.string(),
  promptVersion: z.string(),
  /** sha256 of exactly what was sent (or, offline, of the rules that ran). */
  promptHash: z.string(),
  model: z.string(),
  temperature: z.number().nullable(),
  samples: z.number().int().min(1),
  usage: TokenUsage,
  costUsd: z.number().min(0).nullable(),
  durationMs: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  // Added with evidence-grounded drafting (optional: older drafts lack them).
  /** sha256 of the first request's full messages as sent (static prefix and material); null offline. */
  requestHash: z.string().nullable().optional(),
  /** sha256 of the material the drafter saw (after redaction and neutralising injections). */
  materialHash: z.string().optional(),
  /** Set when the draft came from the draft cache: no LLM call was made for this screening. */
  cache: z
    .object({ hit: z.literal(true), key: z.string(), storedAt: z.iso.datetime() })
    .nullable()
    .optional(),
  /** Blind screening: whether it ran, and how many items of each kind were redacted before drafting. */
  blindScreening: z
    .object({ enabled: z.boolean(), redactions: z.record(z.string(), z.number().int().min(0)) })
    .optional(),
  /** Samples asked for; `samples` counts those that gave a usable draft (a failed sample is flagged). */
  samplesRequested: z.number().int().min(1).optional(),
  // Added with endpoint compatibility (optional: older drafts and the offline drafter lack them).
  /** How the endpoint was asked for JSON: `json_schema` (constrained), `json_object` (JSON mode) or `none`. */
  structuredOutput: z.enum(['json_schema', 'json_object', 'none']).optional(),
  /** `false` when the endpoint reported no token usage: `usage` is 0 and `costUsd` null because unknown. */
  usageReported: z.boolean().optional(),
  /** Set when an admin's re-queue asked for this draft: the draft cache was not read (a new draft, not the old). */
  cacheBypass: z
    .object({ reason: z.literal('requeued'), requestedBy: z.string(), requestedAt: z.iso.datetime() })
    .optional(),
});
export type Provenance = z.infer<typeof Provenance>;

export const Assessment = ModelDraft.extend({
  schemaVersion: z.literal(1),
  competencies: z.array(AssessedCompetency),
  flags: z.array(Flag),
  provenance: Provenance,
});
export type Assessment = z.infer<typeof Assessment>;
