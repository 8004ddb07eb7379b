/**
 * Creates an organisation with a recruiter, a reviewer and an admin in a deployed stage's table, and prints their
 * tokens (once). Uses the deployer's AWS credentials and the table name that `npx sst deploy` printed:
 *
 *   DYNAMODB_TABLE=<table output> AWS_REGION=<region> npm run aws:create-org -- "Acme Hiring" acme.example
 */
import { AuthStore } from '../src/auth/auth-store';
import { createOrgWithUsers } from '../src/aws/create-org';
import { ConfigError, loadConfig } from '../src/core/config';
import { createDocumentClient } from '../src/store/dynamo';

const [name, emailDomain = 'example.com'] = process.argv.slice(2);
try {
  if (!name) throw new ConfigError('Usage: npm run aws:create-org -- "<organisation name>" [email domain]');
  if (!process.env.DYNAMODB_TABLE)
    throw new ConfigError('Set DYNAMODB_TABLE to the table output of `npx sst deploy`.');
  const config = loadConfig();
  const db = createDocumentClient({ endpoint: config.dynamo.endpoint, region: config.dynamo.region });
  const created = await createOrgWithUsers(
    new AuthStore(db, config.dynamo.table),
    { name, emailDomain },
    new Date(),
  );
  db.destroy();
  process.stdout.write(`Organisation ${created.orgId} (${name}) in ${config.dynamo.table}\n`);
  for (const user of created.users) process.stdout.write(`  ${user.role.padEnd(9)} ${user.token}\n`);
  process.stdout.write('Keep these tokens: they are shown once.\n');
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
