import { CHAT_MESSAGE_MAX, cleanViewerText, type ViewerStanding } from '@streaming-companion/sdk';
import { TIP_MESSAGE_MAX, TIPPER_NAME_MAX } from '@streaming-companion/plugin-tips/contract';
import { z } from 'zod';
import type { ConnectorEvent, ConnectorViewer } from './contract.ts';

/*
 * The Events API's events, read leniently: fields may be missing or of an odd type, and an
 * event that still makes no sense is skipped (and counted), never fatal to its batch.
 */

/** What a batch item is when it is not acted on: the reason it is counted under, and its id when it has one. */
export interface Skipped {
  skip: string;
  id?: string;
}

/** Cleaned like any viewer text, then cut to `max` characters (not refused: the platform already took it). */
const text = (max: number) =>
  z
    .string()
    .transform((value) => truncate(cleanViewerText(value), max))
    .nullish()
    .catch(null);

const flag = z.boolean().optional().catch(undefined);

const User = z.object({
  username: text(TIPPER_NAME_MAX),
  isMod: flag,
  inFanclub: flag,
  hasTokens: flag,
  recentTips: z.enum(['none', 'some', 'lots', 'tons']).optional().catch(undefined),
});
type User = z.output<typeof User>;

const Envelope = z.object({ method: z.string().max(100), id: z.string().trim().min(1).max(200), object: z.record(z.string(), z.unknown()) });

const TipObject = z.object({
  tip: z.object({
    tokens: z.int32().positive(),
    isAnon: z.boolean().catch(false).default(false),
    message: text(TIP_MESSAGE_MAX),
  }),
  user: User.optional().catch(undefined),
});
const ChatObject = z.object({ message: z.object({ message: text(CHAT_MESSAGE_MAX) }), user: User });
const UserObject = z.object({ user: User });

const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** One item of a 200 answer's `events`, as a connector event, or why it is skipped (its method when unsupported). */
export function readChaturbateEvent(item: unknown): ConnectorEvent | Skipped {
  const envelope = Envelope.safeParse(item);
  if (!envelope.success) return { skip: 'invalid' };
  const { method, id, object } = envelope.data;
  const event = toConnectorEvent(method, id, object);
  if (event === undefined) return { skip: METHOD_NAME.test(method) ? method : 'other', id };
  return event ?? { skip: 'invalid', id };
}

/** undefined: a method this connector does not act on; null: a supported one that does not parse. */
function toConnectorEvent(method: string, id: string, object: unknown): ConnectorEvent | null | undefined {
  switch (method) {
    case 'tip': {
      const parsed = TipObject.safeParse(object);
      if (!parsed.success) return null;
      const { tip, user } = parsed.data;
      return { kind: 'tip', id, viewer: user ? viewer(user) : null, tokens: tip.tokens, message: tip.message ?? null, anonymous: tip.isAnon };
    }
    case 'chatMessage': {
      const parsed = ChatObject.safeParse(object);
      const who = parsed.success ? viewer(parsed.data.user) : null;
      const message = parsed.data?.message.message;
      return who && message ? { kind: 'chat', id, viewer: who, message } : null;
    }
    case 'userEnter':
    case 'userLeave': {
      const parsed = UserObject.safeParse(object);
      const who = parsed.success ? viewer(parsed.data.user) : null;
      if (!who) return null;
      return { kind: method === 'userEnter' ? 'viewer_enter' : 'viewer_leave', id, viewer: who };
    }
    case 'broadcastStart':
      return { kind: 'broadcast_start', id };
    case 'broadcastStop':
      return { kind: 'broadcast_stop', id };
    default:
      return undefined;
  }
}

function viewer(user: User): ConnectorViewer | null {
  if (!user.username) return null;
  const standing: ViewerStanding = {};
  if (user.isMod !== undefined) standing.isModerator = user.isMod;
  if (user.inFanclub !== undefined) standing.inFanClub = user.inFanclub;
  if (user.hasTokens !== undefined) standing.hasTokens = user.hasTokens;
  if (user.recentTips !== undefined) standing.recentTips = user.recentTips;
  return { name: user.username, standing };
}

/** At most `max` UTF-16 units, never cutting a surrogate pair in half. */
function truncate(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
