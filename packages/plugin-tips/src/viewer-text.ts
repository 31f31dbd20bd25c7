import { z } from 'zod';

// C0/C1 controls and the bidi overrides that let a name render as something it is not.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Trimmed, controls removed, empty as null. Stored as given otherwise: escaping is the renderer's job. */
export const cleanViewerText = (value: string): string | null => value.replace(UNSAFE, '').trim() || null;

export const viewerText = (maxLength: number) =>
  z
    .string()
    .transform(cleanViewerText)
    .pipe(z.string().max(maxLength, `must be at most ${maxLength} characters`).nullable());

export const TIPPER_NAME_MAX = 64;
export const MESSAGE_MAX = 500;
