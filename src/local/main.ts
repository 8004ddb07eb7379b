import { serve } from '@hono/node-server';
import { createApp } from '../api/app';
import { devTokensPath, seedDevUsers } from '../auth/dev-seed';
import { ConfigError, loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { JavaMissingError } from './dynamodb-local';
import { startLocalRuntime } from './runtime';

/** `npm start`: Vetline on one machine with its embedded defaults. */
async function main(): Promise<void> {
  // The AWS SDK warns at every client it builds that its 2027 releases need Node 22. Lambda runs 22; on a developer's
  // Node 20 the notice says nothing they can act on here (the README names the Node versions), so it is off locally.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await startLocalRuntime(config, { logger });
  const app = createApp(runtime.services);
  const seeded = config.seedDev
    ? await seedDevUsers(runtime.services.auth, config.dataDir, new Date(), runtime.services.sessions)
    : null;

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://${info.address === '::' ? 'localhost' : info.address}:${info.port}`;
    const drafter = config.llm
      ? `LLM ${config.llm.model} at ${config.llm.baseURL ?? 'api.openai.com'}`
      : 'offline rules drafter (no LLM configured)';
    const lines = [
      '',
      `Vetline is listening on ${url}`,
      `  API reference  ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
      `  Drafts by      ${drafter}`,
      `  DynamoDB       ${runtime.dynamoEndpoint} (table ${config.dynamo.table})`,
      `  Data folder    ${config.dataDir}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (seeded) {
      process.stdout.write(`\nDev tokens (also in ${devTokensPath(config.dataDir)}):\n`);
      for (const [role, token] of Object.entries(seeded.tokens))
        process.stdout.write(`  ${role.padEnd(9)} ${token}\n`);
      process.stdout.write(`\nSign in to the pages (${url}) as a dev user by opening one of these links:\n`);
      for (const [role, code] of Object.entries(seeded.signIn ?? {}))
        process.stdout.write(`  ${role.padEnd(9)} ${url}/sign-in?code=${code}\n`);
      process.stdout.write(
        `\nTry:\n  curl -H "Authorization: Bearer ${seeded.tokens.recruiter}" -F resume=@resume.pdf ${url}/v1/screenings\n\n`,
      );
    }
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof JavaMissingError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Vetline failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
