import type { SocketRegistrar } from '@streaming-companion/sdk';
import { AddTipPayload } from './schemas.ts';
import type { TipsService } from './tips-service.ts';

/** The spec's `add_tip`: acked with the stored tip; `clientTipId` makes a resend safe. */
export function registerTipSocketEvents(socket: SocketRegistrar, tips: TipsService): void {
  socket.on('add_tip', AddTipPayload, async ({ clientTipId, ...tip }, ctx) => {
    const { tip: stored, sessionTotals } = await tips.record(ctx.em, ctx.creator.id, { ...tip, source: 'websocket' }, {
      idempotencyKey: clientTipId ? `client:${clientTipId}` : undefined,
    });
    return { ...stored, sessionTotals };
  });
}
