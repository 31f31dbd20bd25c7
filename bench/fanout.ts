import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel } from '@streaming-companion/testing';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { percentile } from './measure.ts';
import { AS_DEPLOYED } from './as-deployed.ts';

export interface FanoutBenchOptions {
  /** Overlay sockets in the session's room. */
  overlays: number;
  /** Events sent, one after the other, each waited for on every socket. */
  events: number;
}

export interface FanoutBenchResult {
  overlays: number;
  /** From the POST to the last socket's arrival. */
  totalP50: number;
  /** From the first socket's arrival to the last's. */
  spreadP50: number;
  spreadP99: number;
  bareSpreadP50: number;
  bareSpreadP99: number;
  ratio: number;
}

/**
 * B3, fan-out: a tip's `tip_received` reaching every one of N overlay sockets of its session,
 * against a bare socket.io server emitting one event to a room of N clients, received by the
 * same client library in the same process. Compared: the spread from the first socket's
 * arrival to the last's (the fan-out itself; the server's also includes recording the tip
 * before the first one, shown as the total).
 */
export async function benchFanout(options: FanoutBenchOptions): Promise<FanoutBenchResult> {
  const t = await startTestKernel({ plugins: [tipsPlugin], env: AS_DEPLOYED });
  const bareHttp = createServer();
  const bare = new Server(bareHttp);
  const clients: Socket[] = [];
  try {
    const { token } = await t.createCreator();
    const sessionId = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
    const overlays = await Promise.all(
      Array.from({ length: options.overlays }, async () => {
        const overlay = await t.overlaySocket();
        await overlay.emitWithAck('join_overlay', { sessionId });
        return overlay;
      }),
    );
    const server = await timeEach(options.events, overlays, 'tip_received', async (i) => {
      const response = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 100, message: `fanout-${i}` } });
      if (response.status !== 201) throw new Error(`tip ${i}: ${response.status}`);
    });

    bare.on('connection', (socket) => void socket.join('room'));
    await new Promise<void>((resolve) => bareHttp.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(bareHttp.address() as AddressInfo).port}`;
    for (let i = 0; i < options.overlays; i++) clients.push(io(url, { transports: ['websocket'], forceNew: true }));
    await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.once('connect', () => resolve()))));
    const plain = await timeEach(options.events, clients, 'tip_received', async (i) => {
      bare.to('room').emit('tip_received', { sessionId, tip: { message: `fanout-${i}` } });
    });

    const spread = server.map((s) => s.spread);
    const bareSpread = plain.map((s) => s.spread);
    const result = {
      overlays: options.overlays,
      totalP50: percentile(server.map((s) => s.total), 50),
      spreadP50: percentile(spread, 50),
      spreadP99: percentile(spread, 99),
      bareSpreadP50: percentile(bareSpread, 50),
      bareSpreadP99: percentile(bareSpread, 99),
      ratio: percentile(bareSpread, 50) / percentile(spread, 50),
    };
    console.log(`B3 fan-out: one event to ${options.overlays} overlay sockets, ${options.events} events (first → last arrival)`);
    console.log(`  tip_received from the server   p50 ${result.spreadP50.toFixed(1)} ms   p99 ${result.spreadP99.toFixed(1)} ms   (POST → last: p50 ${result.totalP50.toFixed(1)} ms)`);
    console.log(`  bare socket.io room emit       p50 ${result.bareSpreadP50.toFixed(1)} ms   p99 ${result.bareSpreadP99.toFixed(1)} ms`);
    console.log(`  ratio bare/server              ${result.ratio.toFixed(3)}`);
    return result;
  } finally {
    for (const client of clients) client.disconnect();
    await new Promise((resolve) => bare.close(resolve));
    await t.stop();
  }
}

/** For each event i in turn: milliseconds from starting `send(i)` until every socket has it, and from the first socket's arrival to the last's. */
async function timeEach(events: number, sockets: Array<Pick<Socket, 'on' | 'off'>>, event: string, send: (i: number) => Promise<void>) {
  const samples: Array<{ total: number; spread: number }> = [];
  for (let i = 0; i < events; i++) {
    const label = `fanout-${i}`;
    let waiting = sockets.length;
    let first = 0;
    const arrived = new Promise<void>((resolve) => {
      for (const socket of sockets) {
        const listener = (payload: { tip: { message: string | null } }) => {
          if (payload.tip.message !== label) return;
          socket.off(event, listener);
          first ||= performance.now();
          if (--waiting === 0) resolve();
        };
        socket.on(event, listener);
      }
    });
    const started = performance.now();
    await send(i);
    await arrived;
    const last = performance.now();
    samples.push({ total: last - started, spread: last - first });
  }
  return samples;
}
