/**
 * How each function is bundled, shared by the stack (`infra/functions.ts`) and by `scripts/bundle-functions.ts`
 * (the bench and the bundle test), so what is measured is what ships. No SST globals here.
 */
export const bundling = {
  /** esbuild plugins, as SST's `nodejs.plugins` (a path from the repository root). */
  plugins: 'infra/esbuild-plugins.mjs',
  /**
   * Packages kept out of the bundle and installed beside it (`nodejs.install`). pdf.js stays a package: its legacy
   * build loads its "fake worker" (`pdf.worker.mjs`) by a dynamic import relative to itself, and polyfills
   * `DOMMatrix` from the native `@napi-rs/canvas` (an optional dependency, installed for the function's platform);
   * bundled, it finds neither and fails on load.
   */
  install: { api: [], worker: ['pdfjs-dist'], ageing: [] } as Record<'api' | 'worker' | 'ageing', string[]>,
} as const;
