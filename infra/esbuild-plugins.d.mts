// Types for esbuild-plugins.mjs (plain ESM, because SST loads it with Node outside TypeScript).
import type { Plugin } from 'esbuild';

export declare const zodEnglishOnly: Plugin;
export declare const zodWithoutUnusedTools: Plugin;
export declare const lambdaCredentials: Plugin;

/** Keyed `<folder>/<name>.yaml` under the prompts folder: the parsed data and the sha256 of the file's bytes. */
export declare function readPromptFiles(promptsDir: string): Record<string, { data: unknown; hash: string }>;
export declare function embeddedPrompts(options?: { promptsDir?: string }): Plugin;
export declare function currentRubrics(options?: { promptsDir?: string }): Plugin;

declare const plugins: Plugin[];
export default plugins;
