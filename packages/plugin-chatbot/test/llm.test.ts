import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatbotPlugin } from '../src/index.ts';
import { chatSource, liveCreator } from './support/chatbot-harness.ts';

const API_KEY = 'sk-test-0123456789-do-not-log';

interface ModelRequest {
  authorization: string | undefined;
  path: string | undefined;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}

/**
 * An OpenAI-compatible endpoint on loopback. What the viewer said picks its behaviour: `slow`
 * never answers (the connection is held until the server closes), `boom` is a 500, `garbled`
 * answers JSON without a reply; anything else gets a reply.
 */
async function startFakeModel() {
  const requests: ModelRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ModelRequest['body'];
      requests.push({ authorization: req.headers.authorization, path: req.url, body });
      const said = body.messages.at(-1)!.content;
      if (said.includes('slow')) return;
      const json = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (said.includes('boom')) return json(500, { error: { message: 'model down' } });
      if (said.includes('garbled')) return json(200, { id: 'x', object: 'chat.completion' });
      json(200, { choices: [{ index: 0, message: { role: 'assistant', content: `  Model here,\nanswering "${said}"  ` } }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`, requests, close };
}

const lines: string[] = [];
let model: Awaited<ReturnType<typeof startFakeModel>>;
let t: TestKernel;
beforeAll(async () => {
  model = await startFakeModel();
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  t = await startTestKernel({
    plugins: [tipsPlugin, chatbotPlugin, chatSource],
    pluginConfig: { chatbot: { llm: { url: model.url, apiKey: API_KEY, model: 'tiny-chat', timeoutMs: 300 } } },
    logger,
  });
});
afterAll(async () => {
  await t?.stop();
  await model?.close();
});

describe('the LLM driver', () => {
  it('writes the replies of personas with llm.enabled, and the template reply goes out when the model is slow, fails or answers nothing', async () => {
    const l = await liveCreator(t);
    // The dashboard offers the model switch only when the server has one.
    expect((await t.http.get('/api/chatbot/capabilities', { token: l.token })).body).toEqual({ model: true });
    await l.bot({ name: 'Smart', priority: 1, triggers: [{ type: 'command', command: '!ask' }], llm: { systemPrompt: 'You are a cheerful host.' } }, 'template reply for {senderName}');
    await l.bot({ name: 'Plain', triggers: [{ type: 'command', command: '!plain' }] }, 'plain reply');

    expect(await l.say('!ask what is up', 'kai')).toMatchObject({ personaName: 'Smart', responseText: 'Model here, answering "kai: !ask what is up"' });
    expect(model.requests).toHaveLength(1);
    const [first] = model.requests;
    expect(first!.path).toBe('/v1/chat/completions');
    expect(first!.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first!.body.model).toBe('tiny-chat');
    expect(first!.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('You are a cheerful host.') });
    expect(first!.body.messages[0]!.content).toContain('template reply for kai');
    expect(first!.body.messages[1]).toEqual({ role: 'user', content: 'kai: !ask what is up' });

    // Held past the 300 ms timeout, a 500, and an answer without a reply: the template each time.
    for (const message of ['!ask slow please', '!ask boom', '!ask garbled']) {
      expect(await l.say(message, 'kai'), message).toMatchObject({ personaName: 'Smart', responseText: 'template reply for kai' });
    }
    expect(model.requests).toHaveLength(4);

    // A persona without its model on never calls it; the dry run asks no model either.
    expect(await l.say('!plain')).toMatchObject({ responseText: 'plain reply' });
    const tried = await l.tryChat({ message: '!ask anything', senderName: 'kai' });
    expect(tried).toMatchObject({ personaName: 'Smart', responseText: 'template reply for kai' });
    expect(tried.why.at(-1)).toMatch(/model writes the reply/);
    expect(model.requests).toHaveLength(4);

    await t.drain();
    const failures = lines.filter((line) => line.includes('chatbot model failed'));
    expect(failures).toHaveLength(3);
    expect(failures.join('\n')).toContain('no reply within 300 ms');
    expect(failures.join('\n')).toContain('HTTP 500');
    expect(lines.filter((line) => line.includes(API_KEY))).toEqual([]);
  });
});
