import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Nearest-rank percentile of an ascending array. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export interface Timing {
  p50: number;
  p99: number;
  mean: number;
}

export function summarise(times: readonly number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** Counts every command the client sends (a middleware at the first step), so a row can say how many calls it made. */
export function countDynamoCalls(db: DynamoDBDocumentClient): { value: number } {
  const calls = { value: 0 };
  db.middlewareStack.add(
    (next) => async (args) => {
      calls.value++;
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoCalls' },
  );
  return calls;
}

/** One measured row of a latency table: its timings and the DynamoDB calls it made on average. */
export interface LatencyRow extends Timing {
  name: string;
  dynamoCalls: number;
}

/** The Markdown table the latency benches print and save: `what` heads the first column (`Request`, `Delivery`). */
export function latencyTable(what: string, per: string, rows: readonly LatencyRow[]): string {
  return [
    `| ${what} | p50 ms | p99 ms | mean ms | DynamoDB calls/${per} |`,
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.mean.toFixed(2)} | ${r.dynamoCalls.toFixed(1)} |`,
    ),
  ].join('\n');
}
