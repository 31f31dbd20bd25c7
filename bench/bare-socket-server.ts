import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * B6's baseline: a bare socket.io server whose overlay namespace puts each socket in the
 * room it names, as the real server does on `join_overlay`, and nothing else. Prints its
 * URL as a JSON line, like the real server's log.
 */
const http = createServer();
const io = new Server(http);
io.of('/streaming/overlay').on('connection', (socket) => {
  socket.on('join_overlay', async (payload: { sessionId: string }, ack: (answer: unknown) => void) => {
    await socket.join(`session:${payload.sessionId}`);
    ack({ ok: true, data: null });
  });
});
http.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ level: 30, msg: 'listening', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` })));
process.once('SIGTERM', () => io.close(() => process.exit(0)));
