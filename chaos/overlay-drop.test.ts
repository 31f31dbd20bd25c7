import { describe, expect, it } from 'vitest';
import {
  BOOT_MS,
  creatorWithSession,
  duplicates,
  embeddedMode,
  ok,
  OverlayWatch,
  scaledConfigured,
  scaledMode,
  startRealServer,
  TcpProxy,
  withTimeout,
  type Mode,
  type ServerProcess,
} from './support/recovery-kit.ts';

/**
 * An OBS overlay whose network drops while 50 tips arrive: a TCP proxy between the overlay's
 * socket and the real server is cut (the server sees a transport close, as with a lost Wi-Fi
 * link), held down until all 50 tips are recorded and acknowledged, then let through again. The
 * overlay reconnects by itself and, through connection-state recovery, gets every missed
 * `tip_received` exactly once.
 */

const MISSED = 50;

async function dropWhileTipsArrive(mode: Mode): Promise<void> {
  let server: ServerProcess | undefined;
  let proxy: TcpProxy | undefined;
  let overlay: OverlayWatch | undefined;
  try {
    const started = await startRealServer(mode);
    server = started.server;
    const { base } = started;
    const { token, sessionId, overlayKey } = await creatorWithSession(base);
    const tip = async (n: number) => ok<{ id: string }>(base, 'POST', '/api/tips', { token, body: { sessionId, amountCents: 100 + n, tipperName: `viewer${n}` } });

    proxy = new TcpProxy(Number(new URL(base).port));
    overlay = new OverlayWatch(await proxy.listen());
    await overlay.join({ overlayKey });
    // A first tip gives the overlay an offset to resume from.
    const before = await tip(0);
    await expect.poll(() => overlay!.tipIds()).toEqual([before.id]);

    const dropped = new Promise<string>((resolve) => overlay!.socket.once('disconnect', resolve));
    const back = new Promise<void>((resolve) => overlay!.socket.once('connect', () => resolve()));
    proxy.cut();
    expect(await withTimeout(dropped, 15_000, 'the overlay did not see its connection drop')).toBe('transport close');

    // While it is away: 50 tips, each recorded and acknowledged.
    const missed: string[] = [];
    for (let n = 1; n <= MISSED; n++) missed.push((await tip(n)).id);
    expect(overlay.socket.connected).toBe(false);
    expect(overlay.tipIds()).toEqual([before.id]);

    proxy.mend();
    await withTimeout(back, 30_000, 'the overlay did not reconnect');
    expect(overlay.socket.recovered, 'the connection state was recovered').toBe(true);

    // Every missed tip, in order; then a tip sent after it is back comes after all of them, so nothing is still on its way.
    await expect.poll(() => overlay!.tipIds().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1 + MISSED);
    const after = await tip(MISSED + 1);
    await expect.poll(() => overlay!.tipIds().at(-1), { timeout: 30_000 }).toBe(after.id);
    expect(overlay.tipIds()).toEqual([before.id, ...missed, after.id]);
    expect(duplicates(overlay.tipIds())).toEqual([]);
    expect(overlay.repeatedSeqs(sessionId)).toEqual([]);

    expect(server.errors(), 'error lines').toEqual([]);
    expect(await server.stop()).toBe(0);
  } finally {
    overlay?.close();
    await proxy?.close();
    server?.kill();
    await server?.exited;
    await mode.cleanup();
  }
}

describe('an overlay dropped while 50 tips arrive', () => {
  it('embedded: gets every missed tip_received exactly once after it reconnects', async () => {
    await dropWhileTipsArrive(await embeddedMode());
  }, BOOT_MS + 120_000);

  it.skipIf(!scaledConfigured)('scaled (Redis streams adapter): gets every missed tip_received exactly once after it reconnects', async () => {
    await dropWhileTipsArrive(await scaledMode());
  }, BOOT_MS + 120_000);
});
