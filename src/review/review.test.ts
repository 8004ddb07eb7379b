import { describe, expect, it } from 'vitest';
import type { Assessment } from '../assessment/assessment';
import { isAppError } from '../core/app-error';
import type { Screening } from '../screening/screening';
import { applyReview, type ReviewInput } from './review';

// The review rules, without a database: what a reviewer may change, what needs a reason, where the status goes.
const now = new Date('2026-03-02T10:00:00.000Z');
const screening = (status: Screening['status'] = 'drafted'): Screening =>
  ({ id: 'scr_1', status, version: 4 }) as Screening; // only the fields applyReview reads

const draft = {
  competencies: [
    { competencyId: 'async', name: 'Async', level: 3 },
    { competencyId: 'web', name: 'Web APIs', level: null },
  ],
} as unknown as Assessment;

const input = (over: Partial<ReviewInput> = {}): ReviewInput => ({
  expectedVersion: 4,
  decision: 'approve',
  levels: [],
  notes: '',
  ...over,
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, field: error.details?.field, status: error.status };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('applyReview', () => {
  it('approves the draft as it is: the final copies its levels and records the decision', () => {
    const out = applyReview(screening(), draft, null, input(), 'usr_r', now);
    expect(out).toMatchObject({ from: 'drafted', to: 'approved' });
    expect(out.final).toEqual({
      competencies: [
        { competencyId: 'async', draftLevel: 3, level: 3, reason: null },
        { competencyId: 'web', draftLevel: null, level: null, reason: null },
      ],
      notes: '',
      decision: 'approved',
      reviewerId: 'usr_r',
      reviewedAt: now.toISOString(),
      screeningVersion: 5,
    });
    expect(out.before).toMatchObject({ status: 'drafted', version: 4, levels: { async: { level: 3 } } });
    expect(out.after).toMatchObject({ status: 'approved', version: 5 });
  });

  it('needs a reason for a level that differs from the draft, including from or to insufficient evidence', () => {
    for (const levels of [
      [{ competencyId: 'async', level: 2, reason: null }],
      [{ competencyId: 'web', level: 1, reason: null }],
      [{ competencyId: 'async', level: null, reason: null }],
    ]) {
      expect(refusal(() => applyReview(screening(), draft, null, input({ levels }), 'u', now))).toMatchObject(
        {
          code: 'reason_required',
          status: 400,
          field: `levels.${levels[0]?.competencyId}.reason`,
        },
      );
    }
    const out = applyReview(
      screening(),
      draft,
      null,
      input({ levels: [{ competencyId: 'web', level: 1, reason: 'One FastAPI service.' }] }),
      'u',
      now,
    );
    expect(out.final.competencies[1]).toEqual({
      competencyId: 'web',
      draftLevel: null,
      level: 1,
      reason: 'One FastAPI service.',
    });
    expect(out.after.levels).toMatchObject({ web: { level: 1, reason: 'One FastAPI service.' } });
  });

  it('keeps the previous final’s levels for competencies the input leaves out', () => {
    const first = applyReview(
      screening(),
      draft,
      null,
      input({
        decision: 'save',
        levels: [{ competencyId: 'async', level: 4, reason: 'Led the runtime team.' }],
      }),
      'u',
      now,
    );
    expect(first.to).toBe('drafted');
    expect(first.final.decision).toBeNull();
    const second = applyReview(
      { ...screening(), version: 5 },
      draft,
      first.final,
      input({ expectedVersion: 5 }),
      'u',
      now,
    );
    expect(second.final.competencies[0]).toMatchObject({ level: 4, reason: 'Led the runtime team.' });
    expect(second.before.levels).toMatchObject({ async: { level: 4 } });
  });

  it('needs notes to reject or request changes, and refuses unknown competencies', () => {
    expect(
      refusal(() => applyReview(screening(), draft, null, input({ decision: 'reject' }), 'u', now)).code,
    ).toBe('notes_required');
    expect(
      refusal(() => applyReview(screening(), draft, null, input({ decision: 'request_changes' }), 'u', now))
        .code,
    ).toBe('notes_required');
    expect(
      refusal(() =>
        applyReview(
          screening(),
          draft,
          null,
          input({ levels: [{ competencyId: 'x', level: 1, reason: 'r' }] }),
          'u',
          now,
        ),
      ).code,
    ).toBe('unknown_competency');
    const asked = applyReview(
      screening(),
      draft,
      null,
      input({ decision: 'request_changes', notes: 'Take-home?' }),
      'u',
      now,
    );
    expect(asked).toMatchObject({ to: 'changes_requested', final: { decision: 'changes_requested' } });
    // From changes requested a reviewer can still decide.
    expect(applyReview(screening('changes_requested'), draft, asked.final, input(), 'u', now).to).toBe(
      'approved',
    );
  });

  it('refuses to review a screening that is not drafted or waiting on changes', () => {
    for (const status of ['queued', 'drafting', 'approved', 'rejected', 'failed'] as const) {
      expect(refusal(() => applyReview(screening(status), draft, null, input(), 'u', now))).toMatchObject({
        code: 'not_reviewable',
        status: 409,
      });
    }
  });
});
