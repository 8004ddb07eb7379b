import { linkNames, UNSET_SECRET } from '../src/aws/resources';

/**
 * Secrets live in SST's encrypted store per stage (`npx sst secret set OpenAiApiKey sk-... --stage production`) and
 * reach only the functions linked to them. The placeholder lets a stage deploy before a key is set: the worker then
 * drafts with the offline rules drafter, as locally.
 */
export function secrets() {
  return { openAiApiKey: new sst.Secret(linkNames.openAiApiKey, UNSET_SECRET) };
}
