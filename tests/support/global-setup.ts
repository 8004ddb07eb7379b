import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/core/free-port';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local';

/**
 * One DynamoDB Local (in memory) for the whole run, on a free port. Every test file makes its own table, and every test
 * its own organisation, so files running side by side never see each other's items.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // Node 20 here, 22 on Lambda: the SDK's upgrade notice is known and would only clutter the run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (endpoint) {
    project.provide('dynamoEndpoint', endpoint);
    return;
  }
  const local = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoEndpoint', local.endpoint);
  return async () => {
    await local.stop();
  };
}
