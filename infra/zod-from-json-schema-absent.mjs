// What `z.fromJSONSchema` (zod's JSON Schema to zod converter) is in the Lambda bundles (see esbuild-plugins.mjs):
// absent. Vetline declares its schemas in zod; a call here fails loudly.
export const fromJSONSchema = () => {
  throw new Error(`zod's z.fromJSONSchema is left out of the Lambda bundles (infra/esbuild-plugins.mjs)`);
};
