import { describe, expect, it } from 'vitest';
import type { Screening } from '../screening/screening';
import type { AuditEvent } from './audit-event';
import { velocity } from './velocity';

const now = new Date('2026-03-20T12:00:00.000Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();

const decision = (
  action: AuditEvent['action'],
  by: string,
  receivedDaysAgo: number,
  decidedDaysAgo: number,
): AuditEvent => ({
  id: `evt_${action}${by}${receivedDaysAgo}`,
  orgId: 'org_x',
  at: daysAgo(decidedDaysAgo),
  actor: { userId: by, role: 'reviewer', via: 'session' },
  action,
  target: { type: 'screening', id: 'scr_x' },
  before: null,
  after: { receivedAt: daysAgo(receivedDaysAgo) },
});

describe('velocity', () => {
  it('counts decisions, days from application to decision, and decisions per reviewer', () => {
    const v = velocity(
      [
        decision('review.approved', 'usr_a', 3, 1), // 2 days
        decision('review.approved', 'usr_a', 12, 0), // 12 days: past the window
        decision('review.rejected', 'usr_b', 5, 1), // 4 days
        decision('review.changes_requested', 'usr_a', 6, 5), // 1 day
        { ...decision('review.saved', 'usr_b', 9, 0) },
        { ...decision('token.created', 'usr_c', 1, 0), target: { type: 'token', id: 'tok_x' } },
      ],
      [],
      now,
    );
    expect(v.decisions).toEqual({ approved: 2, rejected: 1, changesRequested: 1 });
    expect(v.daysToDecision).toEqual({ count: 4, median: 2, p90: 12, withinWindow: 3 });
    expect(v.byReviewer).toEqual([
      { userId: 'usr_a', decisions: 3 },
      { userId: 'usr_b', decisions: 1 },
    ]);
  });

  it('sets the waiting queue against the ten-day window', () => {
    const waiting = [0, 6, 7, 9, 10, 15].map((d) => ({ receivedAt: daysAgo(d) }) as Screening);
    expect(velocity([], waiting, now).waiting).toEqual({
      total: 6,
      onTrack: 2,
      closing: 2,
      past: 2,
      oldestDays: 15,
    });
    expect(velocity([], [], now)).toMatchObject({
      waiting: { total: 0, oldestDays: null },
      daysToDecision: { count: 0, median: null, p90: null },
    });
  });
});
