import { z } from 'zod';
import { type Config, ConfigError, loadConfig } from '../core/config';

/**
 * The one place where SST's linked resources become settings. On Lambda, `link` in the stack puts each linked
 * resource's properties into the function (read through `Resource` from `sst/resource`); here they are parsed and
 * turned into the same variables `src/core/config.ts` reads from the environment locally, so the application never
 * knows where its settings came from. The names below are the component names in `infra/`.
 */
export const linkNames = {
  table: 'Table',
  bucket: 'Uploads',
  queue: 'Jobs',
  openAiApiKey: 'OpenAiApiKey',
} as const;

/** Stands for "no key set": the secret's placeholder, so a stage deploys before anyone has a key (offline drafter). */
export const UNSET_SECRET = 'unset';

const Named = z.object({ name: z.string().min(1) });
const Links = z.object({
  App: z.object({ name: z.string().min(1), stage: z.string().min(1) }),
  [linkNames.table]: Named.optional(),
  [linkNames.bucket]: Named.optional(),
  [linkNames.queue]: z.object({ url: z.url() }).optional(),
  [linkNames.openAiApiKey]: z.object({ value: z.string() }).optional(),
});

/** Linked resources as the environment variables `loadConfig` reads. Only what a function is linked to is set. */
export function linkedEnvironment(resources: unknown): Record<string, string> {
  const parsed = Links.safeParse(pick(resources));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid SST links: ${problems}`);
  }
  const links = parsed.data;
  const env: Record<string, string> = { VETLINE_STAGE: links.App.stage };
  const table = links[linkNames.table];
  const bucket = links[linkNames.bucket];
  const queue = links[linkNames.queue];
  const key = links[linkNames.openAiApiKey]?.value;
  if (table) env.DYNAMODB_TABLE = table.name;
  if (bucket) env.VETLINE_BLOB_BUCKET = bucket.name;
  if (queue) env.VETLINE_QUEUE_URL = queue.url;
  if (key && key !== UNSET_SECRET) env.OPENAI_API_KEY = key;
  return env;
}

/**
 * The config of a Lambda function: its environment (set by the stack: retention, log level, model...) overlaid with
 * its links. No prompts folder: the bundles embed `prompts/` at build time (`infra/esbuild-plugins.mjs`).
 */
export function lambdaConfig(env: Record<string, string | undefined>, resources: unknown): Config {
  return loadConfig({ ...env, ...linkedEnvironment(resources) });
}

/** `Resource` is a proxy that throws on a name that is not linked: read the known names only. */
function pick(resources: unknown): Record<string, unknown> {
  if (typeof resources !== 'object' || resources === null) return {};
  const out: Record<string, unknown> = {};
  for (const name of ['App', ...Object.values(linkNames)]) {
    if (name in resources) out[name] = (resources as Record<string, unknown>)[name];
  }
  return out;
}
