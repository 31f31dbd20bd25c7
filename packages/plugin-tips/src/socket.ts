import type { SocketRegistrar } from '@streaming-companion/sdk';
import { tipEvents, type TipsService } from './contract.ts';

/** The spec's `add_tip`: acked with the stored tip; `clientTipId` makes a resend safe. */
export function registerTipSocketEvents(socket: SocketRegistrar, tips: TipsService): void {
  socket.on(tipEvents.commands.add_tip, async ({ clientTipId, ...tip }, ctx) => {
    const { tip: stored, sessionTotals } = await tips.record(ctx.em, ctx.creator.id, { ...tip, source: 'websocket' }, {
      idempotencyKey: clientTipId ? `client:${clientTipId}` : undefined,
    });
    return { ...stored, sessionTotals };
  });
}
