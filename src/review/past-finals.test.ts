import { describe, expect, it } from 'vitest';
import type { Assessment } from '../assessment/assessment';
import { separateStaleFinal } from './past-finals';
import type { HumanFinal } from './review';

// Finals of a re-drafted screening written before finals were set aside on re-queue: told apart by their age.
const draftAt = (createdAt: string) => ({ provenance: { createdAt } }) as Assessment;
const finalAt = (reviewedAt: string): HumanFinal => ({
  competencies: [],
  notes: 'old',
  decision: 'changes_requested',
  reviewerId: 'usr_x',
  reviewedAt,
  screeningVersion: 4,
});

describe('separateStaleFinal', () => {
  it('keeps a final made after the draft as the review of that draft', () => {
    const record = {
      draft: draftAt('2026-11-01T10:00:00.000Z'),
      final: finalAt('2026-11-01T11:00:00.000Z'),
      pastFinals: [],
    };
    expect(separateStaleFinal(record)).toBe(record);
  });

  it('moves a final older than the draft to the past finals', () => {
    const old = finalAt('2026-11-01T11:00:00.000Z');
    const record = { draft: draftAt('2026-11-02T09:00:00.000Z'), final: old, pastFinals: [] };
    expect(separateStaleFinal(record)).toEqual({ draft: record.draft, final: null, pastFinals: [old] });
  });
});
