import type { ScreeningStatus } from '../screening/screening';

/** Plain words for codes the pages show. Unknown codes (added later by other parts) fall back to the code itself. */
const flagWords: Record<string, string> = {
  offline_drafter: 'Drafted by the offline rules, not an LLM',
  llm_fallback: 'The LLM was unavailable; the rules drafted this',
  unverifiable_quote: 'A quote could not be found in what the candidate sent and was dropped',
  insufficient_evidence: 'Not enough evidence for a level',
  unknown_competency: 'The model named a competency that is not in the rubric',
  missing_competency: 'The model left out a competency',
  hidden_text: 'Hidden text in the file (a person would not see it)',
  injection_attempt: 'Text that tries to instruct the AI',
  unstable_score: 'Scores varied between samples',
  stale_rubric: 'The rubric changed since this draft',
};

export const flagTitle = (code: string): string => flagWords[code] ?? code.replaceAll('_', ' ');
export const knownFlagCodes = Object.keys(flagWords);

const statusWords: Record<ScreeningStatus, string> = {
  queued: 'Queued',
  extracting: 'Reading the file',
  drafting: 'Drafting',
  drafted: 'Ready for review',
  approved: 'Approved',
  rejected: 'Rejected',
  failed: 'Failed',
  changes_requested: 'Changes requested',
};

export const statusLabel = (status: string): string => statusWords[status as ScreeningStatus] ?? status;

const hiddenWords: Record<string, string> = {
  white_text: 'white or near-white text',
  tiny_text: 'tiny text',
  invisible_render_mode: 'invisible text',
  off_page: 'text placed off the page',
  under_image: 'text under an image',
  docx_vanish: 'hidden (Word “vanish”) text',
  docx_white: 'white text (Word)',
  docx_tiny: 'tiny text (Word)',
};
export const hiddenReason = (reason: string): string => hiddenWords[reason] ?? reason.replaceAll('_', ' ');

/** The hiring window the seed names: top candidates are gone in about ten days. */
export const windowDays = 10;

export const daysSince = (iso: string, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000));

export const windowText = (days: number): string =>
  days >= windowDays
    ? `day ${days}: past the ${windowDays}-day window`
    : days >= 7
      ? `day ${days} of ${windowDays}: closing`
      : `day ${days} of ${windowDays}`;
