// What `@aws-sdk/credential-provider-node` becomes in the Lambda bundles (see esbuild-plugins.mjs): the function
// role's credentials, which Lambda always puts in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN). The SDK's default chain tries the environment first too, so on Lambda the result is the same.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
