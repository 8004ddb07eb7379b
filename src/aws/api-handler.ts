import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type APIGatewayProxyResult, handle, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../api/app';
import type { Services } from '../core/services';

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResult>;

/** hono's request-id middleware accepts an incoming id of this shape; anything else it replaces with its own. */
const acceptableRequestId = /^[\w\-=]{1,255}$/;

/**
 * The API function's handler: the same Hono app as `npm start`, handed to Lambda by `hono/aws-lambda`. It takes
 * API Gateway HTTP API (v2) and Function URL events alike (both are payload format 2.0).
 *
 * API Gateway's request id becomes the app's request id (the `X-Request-Id` response header and every log line's
 * `requestId`) unless the caller sent one, so an access-log line, the function's logs and a user's bug report meet on
 * one id. Log lines carry ids and routes only; never headers, bodies or candidate material.
 */
export function createApiHandler(services: Services, logger: PowertoolsLogger): ApiHandler {
  const app = createApp(services);
  const handler = handle(app);
  return async (event, context) => {
    logger.resetKeys();
    logger.addContext(context);
    const headers = { ...(event.headers ?? {}) };
    const incoming = headers['x-request-id'];
    const requestId =
      incoming && acceptableRequestId.test(incoming) ? incoming : event.requestContext.requestId;
    headers['x-request-id'] = requestId;
    logger.appendKeys({ requestId });
    // The same wire event under two type definitions: hono's marks `authorizer` required, which an HTTP API
    // without an authorizer does not send (hono reads it optionally).
    const lambdaEvent = { ...event, headers, body: event.body ?? null } as unknown as LambdaEvent;
    const response = await handler(lambdaEvent, context);
    logger.info('request', {
      method: event.requestContext.http.method,
      route: event.routeKey,
      path: event.rawPath,
      status: response.statusCode,
    });
    return response;
  };
}
