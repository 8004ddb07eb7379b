import { z } from 'zod';

/**
 * Text in a candidate's file that a human reader would not see. Extraction records each span (and keeps it out of
 * the text the model reads); the reviewer is shown every one. `page` is 1-based for PDFs and `null` elsewhere.
 */
export const HiddenReason = z.enum([
  'white_text',
  'tiny_text',
  'invisible_render_mode',
  'off_page',
  'under_image',
  'docx_vanish',
  'docx_white',
  'docx_tiny',
]);
export type HiddenReason = z.infer<typeof HiddenReason>;

export const HiddenSpan = z.object({
  text: z.string(),
  page: z.number().int().min(1).nullable(),
  reason: HiddenReason,
});
export type HiddenSpan = z.infer<typeof HiddenSpan>;
