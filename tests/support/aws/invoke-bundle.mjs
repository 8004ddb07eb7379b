// Runs a built Lambda bundle as the Lambda runtime would: imports the module (its init: settings, clients, rubric),
// then calls `handler(event, context)` once per event file, and writes the results as JSON to the output file.
// Usage: node invoke-bundle.mjs <bundle.mjs> <out.json> <event.json>...
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, out, ...eventFiles] = process.argv.slice(2);
const started = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const initMs = performance.now() - started;
const results = [];
for (const file of eventFiles) {
  const event = JSON.parse(readFileSync(file, 'utf8'));
  const deadline = Date.now() + 60_000;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bundle',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/bundle',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  results.push(await mod.handler(event, context));
}
writeFileSync(out, JSON.stringify({ initMs, results }));
