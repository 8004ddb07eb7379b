import { AppError } from '../core/app-error';

/**
 * A memory budget for one extraction, checked between steps (pages). pdf.js cannot be interrupted mid-page and has no
 * memory option of its own, so this is a soft limit: it stops a document that keeps growing (thousands of pages of
 * operators, images just under the decode cap) before the next step, with a clear error, rather than letting the
 * process run out of memory. Growth is measured on the whole process (resident memory, and the JavaScript heap plus
 * buffers), so extractions running at the same time count against each other: the budget is generous on purpose.
 * The hard limits that make a blow-up unlikely in the first place are elsewhere: upload bytes, pages, declared DOCX
 * sizes, and the image decode cap.
 */
export interface MemoryGuard {
  check(): void;
}

const sample = () => {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.arrayBuffers };
};

export function memoryGuard(maxBytes: number): MemoryGuard {
  const base = sample();
  return {
    check() {
      const now = sample();
      const grown = Math.max(now.rss - base.rss, now.heap - base.heap);
      if (grown > maxBytes) {
        throw new AppError(
          'unprocessable',
          'extraction_memory_limit',
          `Reading the file needed more memory than the ${formatBytes(maxBytes)} allowed.`,
          { details: { limitBytes: maxBytes } },
        );
      }
    },
  };
}

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
