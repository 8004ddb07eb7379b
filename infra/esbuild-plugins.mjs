// esbuild plugins for the Lambda bundles, given to SST as `nodejs.plugins` and used by scripts/bundle-functions.ts,
// so the bench measures what ships. Plain ESM: SST loads this file with Node, outside TypeScript.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * zod's classic API (and its core) re-export its 40-odd locales as `z.locales`. @hono/zod-openapi passes the whole `z` namespace to
 * `extendZodWithOpenApi`, so the bundler cannot drop any of them: 270 KiB of translated error messages in every
 * function. Vetline never calls `z.config(z.locales.xx())` and zod's default is English, so `locales` is resolved to
 * a module that exports English only (`zod-locales-en.mjs`); zod itself is untouched.
 *
 * The filter is `.*` and the test is in the callback because SST's plugin host matches filters against the request
 * rather than the import path (a specific filter would never fire there).
 */
export const zodEnglishOnly = {
  name: 'vetline-zod-english-only',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const fromZod = /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer ?? '');
      if (!fromZod || args.path !== '../locales/index.js') return undefined;
      return { path: require.resolve('./zod-locales-en.mjs') };
    });
  },
};

/**
 * The AWS SDK clients build their default credential chain at import: environment, SSO, INI files, web identity,
 * process, container and instance metadata, with the nested SSO/STS clients they need (about 85 KiB minified, and
 * their module init on every cold start). On Lambda the credentials are always the function role's, in the
 * environment, which is the chain's first step; so the chain is resolved to that step alone
 * (`lambda-credentials.mjs`). Only the Lambda bundles get this: locally and in tests the full chain stays.
 */
export const lambdaCredentials = {
  name: 'vetline-lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.path !== '@aws-sdk/credential-provider-node') return undefined;
      return { path: require.resolve('./lambda-credentials.mjs') };
    });
  },
};

export default [zodEnglishOnly, lambdaCredentials];
