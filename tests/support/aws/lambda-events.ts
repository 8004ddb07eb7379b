import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Lambda events in the shapes AWS sends them (payload format 2.0 for API Gateway HTTP APIs and Function URLs, the SQS
 * event source's records), built from a fetch-style request so tests read like HTTP.
 */
export async function httpApiEvent(
  method: string,
  pathWithQuery: string,
  init: {
    headers?: Record<string, string>;
    body?: FormData | string;
    source?: 'api-gateway' | 'function-url';
  } = {},
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(pathWithQuery, 'https://api.example.test');
  const headers: Record<string, string> = { host: url.host, 'user-agent': 'vitest', ...init.headers };
  let body: string | undefined;
  let isBase64Encoded = false;
  if (init.body instanceof FormData) {
    // What API Gateway does with a multipart body: base64, with the boundary in the content type.
    const request = new Request(url, { method, body: init.body });
    headers['content-type'] = request.headers.get('content-type') ?? '';
    body = Buffer.from(await request.arrayBuffer()).toString('base64');
    isBase64Encoded = true;
  } else if (typeof init.body === 'string') {
    body = init.body;
  }
  const requestId = `${init.source === 'function-url' ? 'fu' : 'gw'}-${randomUUID()}`;
  const functionUrl = init.source === 'function-url';
  const query = url.search.slice(1);
  return {
    version: '2.0',
    routeKey: functionUrl ? '$default' : '$default',
    rawPath: url.pathname,
    rawQueryString: query,
    headers,
    ...(query ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: functionUrl ? 'anonymous' : '123456789012',
      apiId: functionUrl ? 'abcdefghijklmnopqrstuvwxyz0123' : 'a1b2c3d4e5',
      domainName: url.host,
      domainPrefix: url.host.split('.')[0] ?? '',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'vitest',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  };
}

export function sqsRecord(
  body: string,
  options: { messageId?: string; receiveCount?: number; queueArn?: string } = {},
): SQSRecord {
  const now = Date.now();
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `AQEB${randomUUID().replaceAll('-', '')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(now - 1000),
      SenderId: 'AROAEXAMPLE:vetline-api',
      ApproximateFirstReceiveTimestamp: String(now),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn ?? 'arn:aws:sqs:us-east-1:123456789012:vetline-test-Jobs',
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/vetline-test-AgeingReminders'],
    detail: {},
  };
}

export function lambdaContext(functionName = 'vetline-test-Worker', timeoutMs = 360_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/29/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
