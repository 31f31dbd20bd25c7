import { z } from 'zod';
import { MESSAGE_MAX, TIPPER_NAME_MAX, viewerText } from './viewer-text.ts';

const amount = z.int('must be a whole number of cents').positive('must be greater than 0');

/** Fields a tip carries however it arrives (REST, socket, a connector). */
export const TipFields = z.object({
  sessionId: z.uuid(),
  amountCents: amount.optional(),
  tipperName: viewerText(TIPPER_NAME_MAX).optional(),
  message: viewerText(MESSAGE_MAX).optional(),
});

export const CreateTipBody = TipFields.extend({
  tokens: z.int().positive().optional(),
  centsPerToken: z.int().positive().max(10_000).optional(),
  isAnonymous: z.boolean().optional(),
  source: z.enum(['manual', 'platform_api']).default('manual'),
  externalEventId: z.string().trim().min(1).max(200).optional(),
})
  .refine((b) => b.amountCents !== undefined || b.tokens !== undefined, { path: ['amountCents'], message: 'give amountCents, or tokens' })
  .refine((b) => b.source !== 'platform_api' || b.externalEventId, {
    path: ['externalEventId'],
    message: "required when source is 'platform_api' (the platform's event id makes retries safe)",
  });

/** The spec's `add_tip`, plus an optional client id that makes a resend safe. */
export const AddTipPayload = TipFields.extend({
  amountCents: amount,
  clientTipId: z.string().trim().min(1).max(200).optional(),
});

