import { AppError, isAppError } from '../core/app-error';
import { DEFAULT_ARCHIVE_LIMITS } from '../takehome/archive-limits';
import { openZip } from '../takehome/zip-reader';

/**
 * A DOCX is a zip, and mammoth's zip library (JSZip) inflates each part it reads in full before it compares the
 * result with the size the archive declared: a 300 KB file that lies about its sizes took the process 6 s and 400 MB
 * before failing. So nothing of the candidate's archive reaches mammoth: the parts are read here, by the take-home zip
 * reader (central directory, local headers, no overlapping entries), which inflates each with zlib stopped at the
 * size it declares and checks the real length and CRC-32 against the declaration. The declarations are bounded first
 * (each part, and all together), so what is inflated is bounded too whatever the headers say: a part that lies is
 * refused (422 `corrupt_file`) once it passes its declared size, an archive that declares too much (413
 * `file_too_large`) before anything is inflated. mammoth reads an archive rebuilt from the checked parts.
 */
export const MAX_DOCX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
/** One part: a resume's document.xml is well under 1 MB, its largest part a photo of a few MB. */
export const MAX_DOCX_PART_BYTES = 32 * 1024 * 1024;
/** A resume has a few dozen parts; a hostile archive may claim millions. */
const MAX_DOCX_PARTS = 10_000;

/** The DOCX's files (not folders), by name, each exactly as long as declared and matching its CRC-32. */
export function readDocxParts(bytes: Uint8Array): Map<string, Uint8Array> {
  let opened: ReturnType<typeof openZip>;
  try {
    opened = openZip(bytes, { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: MAX_DOCX_PARTS });
  } catch (error) {
    throw damaged(error);
  }
  const files = opened.entries.flatMap((entry, index) => (entry.type === 'file' ? [{ entry, index }] : []));
  const largest = files.reduce((max, { entry }) => (entry.size > max.size ? entry : max), {
    name: '',
    size: 0,
  });
  if (largest.size > MAX_DOCX_PART_BYTES) {
    throw tooLarge(`A part of the DOCX (${largest.name}) expands to more than 32 MB.`, MAX_DOCX_PART_BYTES, {
      part: largest.name,
      declaredBytes: largest.size,
    });
  }
  const declared = files.reduce((sum, { entry }) => sum + entry.size, 0);
  if (declared > MAX_DOCX_UNCOMPRESSED_BYTES) {
    throw tooLarge('The DOCX expands to more than 64 MB.', MAX_DOCX_UNCOMPRESSED_BYTES, {
      declaredBytes: declared,
    });
  }
  const parts = new Map<string, Uint8Array>();
  for (const { entry, index } of files) {
    if (parts.has(entry.name)) throw damaged(new Error(`two parts are named ${entry.name}`));
    try {
      parts.set(entry.name, opened.read(index));
    } catch (error) {
      // Inflation stopped at the declared size (or the CRC-32 failed): this part is why, and says how much it claimed.
      throw damaged(error, { part: entry.name, declaredBytes: entry.size });
    }
  }
  return parts;
}

const tooLarge = (message: string, limitBytes: number, details: Record<string, unknown>) =>
  new AppError('payload_too_large', 'file_too_large', message, { details: { limitBytes, ...details } });

/** The zip reader's own wording (an archive's) is kept as the reason; the code is the one resumes use. */
function damaged(cause: unknown, details: Record<string, unknown> = {}): AppError {
  const reason = isAppError(cause) ? cause.message.replace(/^The archive is damaged: /, '') : undefined;
  return new AppError('unprocessable', 'corrupt_file', 'The DOCX file is damaged and cannot be read.', {
    cause,
    details: { ...details, ...(reason ? { reason } : {}) },
  });
}
