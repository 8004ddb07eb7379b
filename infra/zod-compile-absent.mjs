// What zod's compiler (`zod/v4/core/compile.js`: `z.compile`, `z.withParser`, the opt-in parser generator) is in the
// Lambda bundles (see esbuild-plugins.mjs): absent. Vetline parses with zod's ordinary parser and never imports
// `zod/compile`; a call here fails loudly instead of falling back in silence.
const absent = (name) => () => {
  throw new Error(`zod's ${name} is left out of the Lambda bundles (infra/esbuild-plugins.mjs)`);
};

export const INVALID = Symbol.for('zod.compile.invalid');
export class ZodCompileAsyncError extends Error {}
export class ZodCompileUnsupportedError extends Error {}
export const compile = absent('z.compile');
export const withParser = absent('z.withParser');
export const compileFn = absent('compileFn');
