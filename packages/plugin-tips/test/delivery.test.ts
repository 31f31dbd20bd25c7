import type { BroadcastMeta } from '@streaming-companion/sdk';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tipsPlugin, type TipDto } from '../src/index.ts';

/**
 * The instance that records a tip dies between the commit and the broadcast: the overlay must
 * still get `tip_received`, once, from whichever instance delivers next. On PostgreSQL that is
 * a second instance on the same database; on embedded PGlite (one process only) the same
 * kernel's next delivery pass stands in for it.
 */
describe('a tip committed by an instance that died before broadcasting it', () => {
  let crashed: TestKernel;
  let survivor: TestKernel;
  beforeAll(async () => {
    crashed = await startTestKernel({ plugins: [tipsPlugin], deliverAfterCommit: false });
    survivor = process.env.DATABASE_URL ? await startTestKernel({ plugins: [tipsPlugin], shareWith: crashed }) : crashed;
  });
  afterAll(async () => {
    if (survivor !== crashed) await survivor?.stop();
    await crashed?.stop();
  });

  it('reaches the overlay once, with its sequence number, from the next delivery pass', async () => {
    const { token } = await crashed.createCreator();
    const started = await crashed.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } });
    const sessionId: string = started.body.id;
    await survivor.drain();

    const overlay = await survivor.overlaySocket();
    const received: Array<{ tip: TipDto; meta: BroadcastMeta }> = [];
    overlay.on('tip_received', ({ tip }: { tip: TipDto }, meta: BroadcastMeta) => received.push({ tip, meta }));
    expect(await overlay.emitWithAck('join_overlay', { sessionId })).toMatchObject({ ok: true });

    const tip = await crashed.http.post('/api/tips', { token, body: { sessionId, amountCents: 700, tipperName: 'Kai' } });
    expect(tip.status).toBe(201);
    // Committed, not delivered: the broadcast waits in the outbox.
    const pending = await crashed.kernel.forkEm().execute<Array<{ seq: string }>>(
      `select seq from core_outbox_events where name = 'tip_received' and dispatched_at is null and payload->'tip'->>'id' = ?`,
      [tip.body.id],
    );
    expect(pending).toHaveLength(1);

    await survivor.drain();
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual({ tip: expect.objectContaining({ id: tip.body.id, amountCents: 700 }), meta: { sessionId, seq: Number(pending[0]!.seq) } });

    // Another pass delivers nothing more: a later broadcast overtakes no second copy.
    await survivor.drain();
    const control = await survivor.socket(token);
    const marker = new Promise((resolve) => overlay.on('session_updated', (u: { viewerCount: number }) => u.viewerCount === 5 && resolve(u)));
    expect(await control.emitWithAck('update_viewers', { sessionId, viewerCount: 5 })).toMatchObject({ ok: true });
    await survivor.drain();
    await marker;
    expect(received).toHaveLength(1);
  });
});
