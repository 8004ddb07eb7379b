import type { Screening } from '../screening/screening';
import type { AuditEvent } from './audit-event';

/**
 * Hiring velocity from the audit trail and the review queue: how many decisions, how long from the application to a
 * decision (the seed's ten-day window is the yardstick), who decided them, and how the waiting queue sits against the
 * window. Pure: the dashboard reads the events and the queue, this counts.
 */
export interface Velocity {
  decisions: { approved: number; rejected: number; changesRequested: number };
  /** Days from the application to the decision, over decisions in the period. */
  daysToDecision: { count: number; median: number | null; p90: number | null; withinWindow: number };
  byReviewer: Array<{ userId: string; decisions: number }>;
  waiting: { total: number; onTrack: number; closing: number; past: number; oldestDays: number | null };
}

const dayMs = 86_400_000;
const decisionActions = new Set(['review.approved', 'review.rejected', 'review.changes_requested']);

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}

export function velocity(events: AuditEvent[], waiting: Screening[], now: Date, windowDays = 10): Velocity {
  const decisions = events.filter((e) => decisionActions.has(e.action));
  const days: number[] = [];
  const byReviewer = new Map<string, number>();
  for (const e of decisions) {
    byReviewer.set(e.actor.userId, (byReviewer.get(e.actor.userId) ?? 0) + 1);
    const received = typeof e.after?.receivedAt === 'string' ? Date.parse(e.after.receivedAt) : Number.NaN;
    if (Number.isFinite(received)) days.push(Math.max(0, (Date.parse(e.at) - received) / dayMs));
  }
  days.sort((a, b) => a - b);
  const ages = waiting.map((s) => Math.floor((now.getTime() - Date.parse(s.receivedAt)) / dayMs));
  return {
    decisions: {
      approved: decisions.filter((e) => e.action === 'review.approved').length,
      rejected: decisions.filter((e) => e.action === 'review.rejected').length,
      changesRequested: decisions.filter((e) => e.action === 'review.changes_requested').length,
    },
    daysToDecision: {
      count: days.length,
      median: percentile(days, 50),
      p90: percentile(days, 90),
      withinWindow: days.filter((d) => d < windowDays).length,
    },
    byReviewer: [...byReviewer]
      .map(([userId, n]) => ({ userId, decisions: n }))
      .sort((a, b) => b.decisions - a.decisions),
    waiting: {
      total: waiting.length,
      onTrack: ages.filter((d) => d < 7).length,
      closing: ages.filter((d) => d >= 7 && d < windowDays).length,
      past: ages.filter((d) => d >= windowDays).length,
      oldestDays: ages.length === 0 ? null : Math.max(...ages),
    },
  };
}
