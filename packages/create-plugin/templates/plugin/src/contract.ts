import { defineEvents } from '@streaming-companion/sdk';
import { z } from 'zod';

// What other code may import (also as `streaming-companion-starter-kit/contract`): the plugin's
// events and the shapes they carry, none of its internals.

export const HighlightLabel = z.string().trim().min(1).max(100);

/** A moment of a stream its creator wants to find again, for a clip or a recap. */
export const Highlight = z
  .object({ id: z.uuid(), sessionId: z.uuid(), label: z.string(), markedAt: z.iso.datetime() })
  // Names it in the server's OpenAPI document, where every plugin's schemas meet: hence the prefix.
  .meta({ id: 'StarterKitHighlight' });
export type Highlight = z.infer<typeof Highlight>;

export const starterKitEvents = defineEvents('starter-kit', {
  // For other plugins, which subscribe to it: delivered at least once, after the highlight is stored.
  domain: { 'starter-kit.highlight.marked': z.object({ creatorId: z.uuid(), highlight: Highlight }) },
  // To the creator's dashboards and tools connected to /streaming.
  socket: { starter_kit_highlight_marked: Highlight },
  // From them: how many highlights a session has, answered through the ack.
  commands: { starter_kit_count_highlights: z.object({ sessionId: z.uuid() }) },
});
