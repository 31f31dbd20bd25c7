import { viewerText } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

export const TIPPER_NAME_MAX = 64;
export const MESSAGE_MAX = 500;

const amount = z.int('must be a whole number of cents').positive('must be greater than 0');

/** Fields a tip carries however it arrives (REST, socket, a connector). Viewer text is cleaned: blank is no text. */
export const TipFields = z.object({
  sessionId: z.uuid(),
  amountCents: amount.optional(),
  tipperName: viewerText(TIPPER_NAME_MAX).optional(),
  message: viewerText(MESSAGE_MAX).optional(),
});

export const CreateTipBody = TipFields.extend({
  /** An `integer` column: at most 2147483647. */
  tokens: z.int32('must be a whole number of tokens, at most 2147483647').positive().optional(),
  centsPerToken: z.int().positive().max(10_000).optional(),
  isAnonymous: z.boolean().optional(),
  source: z.enum(['manual', 'platform_api']).default('manual'),
  externalEventId: z.string().trim().min(1).max(200).optional(),
})
  .refine((b) => b.amountCents !== undefined || b.tokens !== undefined, { path: ['amountCents'], message: 'give amountCents, or tokens' })
  .refine((b) => b.source !== 'platform_api' || b.externalEventId, {
    path: ['externalEventId'],
    message: "required when source is 'platform_api' (the platform's event id makes retries safe)",
  })
  .superRefine((b, ctx) => {
    // All three given: they must tell the same story, or the stored figures would disagree.
    if (b.amountCents === undefined || b.tokens === undefined || b.centsPerToken === undefined) return;
    const expected = b.tokens * b.centsPerToken;
    if (b.amountCents !== expected) {
      ctx.addIssue({ code: 'custom', path: ['amountCents'], message: `must equal tokens × centsPerToken (${expected}) when all three are given` });
    }
  });

/** The spec's `add_tip`, plus an optional client id that makes a resend safe. */
export const AddTipPayload = TipFields.extend({
  amountCents: amount,
  clientTipId: z.string().trim().min(1).max(200).optional(),
});

/** Why a tip is voided, for the creator's own history. */
export const VoidTipBody = z.object({ reason: z.string().trim().min(1, 'must not be empty').max(200) });
