import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { Config } from '../core/config';
import { ageingReport, type OrgAgeingReport } from '../screening/ageing';
import type { ScreeningStore } from '../store/screening-store';

export interface AgeingDeps {
  config: Config;
  db: DynamoDBDocumentClient;
  screenings: Pick<ScreeningStore, 'listOrgIds'>;
  logger: PowertoolsLogger;
  metrics: Metrics;
  now?: () => Date;
}

export interface AgeingSummary {
  organisations: number;
  ageing: number;
  overdue: number;
}

/**
 * The daily ageing reminder: for every organisation in the `SYS#ORGS` registry, the screenings waiting near or past
 * the ten-day window, as one structured log line (ids, statuses and ages; never candidate data) and two metrics with
 * the organisation as dimension (`AgeingScreenings`, `OverdueScreenings`) that a CloudWatch alarm or dashboard reads.
 */
export function createAgeingHandler(deps: AgeingDeps) {
  const { config, logger, metrics } = deps;
  // The event is EventBridge's scheduled event; nothing in it is needed.
  return async (_event: unknown, context: Context): Promise<AgeingSummary> => {
    logger.resetKeys();
    logger.addContext(context);
    const now = deps.now?.() ?? new Date();
    const summary: AgeingSummary = { organisations: 0, ageing: 0, overdue: 0 };
    for (const orgId of await deps.screenings.listOrgIds()) {
      const report = await ageingReport(deps.db, config.dynamo.table, orgId, {
        now,
        warnDays: config.ageing.warnDays,
        windowDays: config.ageing.windowDays,
      });
      emit(report);
      summary.organisations++;
      summary.ageing += report.ageing;
      summary.overdue += report.overdue;
    }
    logger.info('ageing reminders done', { ...summary });
    return summary;
  };

  function emit(report: OrgAgeingReport): void {
    // A single metric is written at once with its own dimensions (the organisation), apart from the function's.
    for (const [name, value] of [
      ['AgeingScreenings', report.ageing],
      ['OverdueScreenings', report.overdue],
    ] as const) {
      const single = metrics.singleMetric();
      single.addDimension('orgId', report.orgId);
      single.addMetric(name, MetricUnit.Count, value);
    }
    const fields = {
      orgId: report.orgId,
      ageing: report.ageing,
      overdue: report.overdue,
      byStatus: report.byStatus,
      oldestReceivedAt: report.oldestReceivedAt,
      warnDays: config.ageing.warnDays,
      windowDays: config.ageing.windowDays,
      screenings: report.screenings,
    };
    if (report.overdue > 0) logger.warn('screenings past the review window', fields);
    else if (report.ageing > 0) logger.info('screenings near the review window', fields);
    else logger.debug('no ageing screenings', fields);
  }
}
