import type { SocketRegistrar } from '@streaming-companion/sdk';
import { starterKitEvents } from './contract.ts';
import type { Highlights } from './highlights.ts';

/**
 * Commands on /streaming: the payload arrives parsed by its schema (a bad one is refused, naming
 * the field, before this runs); what the handler returns is the ack's `data`.
 */
export function registerHighlightCommands(socket: SocketRegistrar, highlights: Highlights): void {
  socket.on(starterKitEvents.commands.starter_kit_count_highlights, async ({ sessionId }, client) => ({
    count: await highlights.count(client.em, client.creator.id, sessionId),
  }));
}
