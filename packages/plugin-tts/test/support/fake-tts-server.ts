import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toneWav } from './wav-fixture.ts';

export interface FakeTtsRequest {
  authorization: string | undefined;
  body: { text: string; voice: string; speed: number; pitch: number };
}

/**
 * A speech service on loopback (port 0): answers each POST with a WAV tone of `seconds`, or
 * with `failWith` as its status. With `holdUntil`, a request is answered only once that many
 * are in flight (or every expected one has arrived), so the test sees how many run at once.
 */
export async function startFakeTtsServer(options: { seconds?: number } = {}) {
  const requests: FakeTtsRequest[] = [];
  const held: Array<() => void> = [];
  let inFlight = 0;
  const state = {
    url: '',
    requests,
    maxInFlight: 0,
    failWith: undefined as number | undefined,
    hold: undefined as { together: number; expected: number } | undefined,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const answer = (res: ServerResponse) => {
    inFlight--;
    if (state.failWith) return void res.writeHead(state.failWith, { 'content-type': 'text/plain' }).end('engine down');
    res.writeHead(200, { 'content-type': 'audio/wav' }).end(toneWav(options.seconds ?? 3));
  };
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    state.maxInFlight = Math.max(state.maxInFlight, ++inFlight);
    const { hold } = state;
    if (!hold) return answer(res);
    held.push(() => answer(res));
    if (inFlight >= hold.together || requests.length >= hold.expected) for (const release of held.splice(0)) release();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/speak`;
  return state;
}
