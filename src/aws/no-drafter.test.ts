import { describe, expect, it } from 'vitest';
import { DraftError } from '../drafting/drafter';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import { noDrafter } from './no-drafter';

describe('noDrafter (the API function’s)', () => {
  it('refuses to draft with a retryable error that says where drafting happens', async () => {
    const request = {
      text: 'resume text',
      rubric: await loadRubric('senior-python-backend'),
      template: await loadPromptTemplate('resume-screen'),
      screeningId: 'scr_1',
    };
    const failure = await noDrafter.draft(request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DraftError);
    expect(failure).toMatchObject({
      code: 'llm_unavailable',
      retryable: true,
      message: expect.stringMatching(/worker/),
    });
  });
});
