import { DraftError, type Drafter } from '../drafting/drafter';

/**
 * The API function's drafter: it has none. Drafting is the worker's job (it holds the LLM key and the `openai` SDK;
 * the API's bundle holds neither), and no route drafts in the request. Should one ever try, the screening fails with
 * a retryable reason that says where drafting happens, instead of silently drafting offline.
 */
export const noDrafter: Drafter = {
  // Where drafting happens on AWS: the worker's LLM drafter.
  kind: 'llm',
  draft: async () => {
    throw new DraftError('llm_unavailable', 'Drafting runs in the worker function, not in the API.', {
      retryable: true,
    });
  },
};
