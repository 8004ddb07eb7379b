import type { Config } from '../core/config';
import type { Drafter } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { OpenAiDrafter } from '../drafting/openai-drafter';

/** The worker drafts as `npm start` does: with the configured OpenAI-compatible endpoint, else offline. */
export const workerDrafter = (config: Config): Drafter =>
  config.llm ? new OpenAiDrafter(config.llm) : new OfflineDrafter();
