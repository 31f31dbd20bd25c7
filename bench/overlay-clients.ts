import { io, type Socket } from 'socket.io-client';
import { runConcurrently } from './measure.ts';

/**
 * `perSession` overlay sockets joined by session id to each of `sessionIds` on the server at
 * `url`, grouped by session in the same order. Each socket goes into `opened` as it connects,
 * so the caller can close them all even when a join fails.
 */
export async function joinOverlays(url: string, sessionIds: string[], perSession: number, opened: Socket[]): Promise<Socket[][]> {
  const bySession = sessionIds.map((): Socket[] => []);
  await runConcurrently(sessionIds.length * perSession, 100, async (i) => {
    const sessionNo = i % sessionIds.length;
    const client = io(`${url}/streaming/overlay`, { transports: ['websocket'], reconnection: false, forceNew: true });
    opened.push(client);
    bySession[sessionNo]!.push(client);
    const ack = (await client.timeout(30_000).emitWithAck('join_overlay', { sessionId: sessionIds[sessionNo] })) as { ok: boolean };
    if (!ack.ok) throw new Error(`an overlay could not join ${sessionIds[sessionNo]}`);
  });
  return bySession;
}
