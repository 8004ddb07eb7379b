import { linkNames } from '../src/aws/resources';
import type { StackSettings } from './settings';

/**
 * Screening jobs: a standard queue (at-least-once; the worker is idempotent) with a dead-letter queue that keeps
 * what the worker could not handle for 14 days, and an alarm as soon as anything lands there.
 */
export function jobQueue(settings: StackSettings) {
  const deadLetters = new sst.aws.Queue('JobsDeadLetter', {
    transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
  });
  const queue = new sst.aws.Queue(linkNames.queue, {
    visibilityTimeout: `${settings.visibilityTimeoutSeconds} seconds`,
    dlq: { queue: deadLetters.arn, retry: settings.maxReceiveCount },
    transform: { queue: { messageRetentionSeconds: 4 * 24 * 60 * 60 } },
  });

  const alarmEmail = process.env.VETLINE_ALARM_EMAIL;
  const topic = alarmEmail ? new aws.sns.Topic('Alarms') : undefined;
  if (topic && alarmEmail) {
    new aws.sns.TopicSubscription('AlarmsEmail', {
      topic: topic.arn,
      protocol: 'email',
      endpoint: alarmEmail,
    });
  }
  const alarm = new aws.cloudwatch.MetricAlarm('JobsDeadLetterNotEmpty', {
    alarmDescription:
      'Screening jobs reached the dead-letter queue: the worker could not process them. Inspect and redrive.',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: deadLetters.nodes.queue.name },
    statistic: 'Maximum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    ...(topic ? { alarmActions: [topic.arn], okActions: [topic.arn] } : {}),
  });
  return { queue, deadLetters, alarm };
}
