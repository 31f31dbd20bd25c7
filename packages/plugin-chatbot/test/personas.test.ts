import { randomUUID } from 'node:crypto';
import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatbotPlugin, type PersonaDto } from '../src/index.ts';
import { chatbotCreator, chatSource, expectProblem } from './support/chatbot-harness.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, menuPlugin, chatbotPlugin, chatSource] });
});
afterAll(() => t?.stop());

describe('persona routes', () => {
  it('create a persona with defaults, list, read, change and delete it', async () => {
    const { token } = await chatbotCreator(t);
    expect((await t.http.get('/api/chatbot/capabilities', { token })).body, 'no model configured').toEqual({ model: false });
    const created = await t.http.post('/api/chatbot/personas', {
      token,
      body: { name: '  Menu Bot ', triggers: [{ type: 'command', command: '!MENU' }, { type: 'tip', minCents: 500 }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const persona: PersonaDto = created.body;
    expect(persona).toEqual({
      id: expect.any(String),
      name: 'Menu Bot',
      avatarUrl: null,
      enabled: true,
      priority: 0,
      triggers: [
        { id: expect.any(String), type: 'command', command: '!menu', minLevel: null },
        { id: expect.any(String), type: 'tip', minCents: 500, maxCents: null, minLevel: null },
      ],
      cooldowns: { personaSeconds: 5, triggerSeconds: 15, senderSeconds: 30 },
      minLevel: 'everyone',
      timer: null,
      llm: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const high = await t.http.post('/api/chatbot/personas', {
      token,
      body: { name: 'Host', priority: 10, avatarUrl: 'https://cdn.example.com/host.png', minLevel: 'fan_club', timer: { everyMinutes: 15 }, llm: { systemPrompt: 'Be kind.' } },
    });
    expect(high.body).toMatchObject({ priority: 10, timer: { everyMinutes: 15, onlyWhenChatActive: true }, llm: { enabled: true, systemPrompt: 'Be kind.' } });

    const list = await t.http.get('/api/chatbot/personas', { token });
    expect(list.body.items.map((p: PersonaDto) => p.name)).toEqual(['Host', 'Menu Bot']);
    expect((await t.http.get(`/api/chatbot/personas/${persona.id}`, { token })).body).toEqual(persona);

    const changed = await t.http.patch(`/api/chatbot/personas/${persona.id}`, { token, body: { enabled: false, cooldowns: { senderSeconds: 0 } } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ enabled: false, cooldowns: { personaSeconds: 5, triggerSeconds: 15, senderSeconds: 0 }, triggers: persona.triggers });

    expect((await t.http.delete(`/api/chatbot/personas/${persona.id}`, { token })).status).toBe(204);
    expectProblem(await t.http.get(`/api/chatbot/personas/${persona.id}`, { token }), 404);
  });

  it('keep templates tied to the triggers a new list keeps, and delete those tied to a trigger left out', async () => {
    const c = await chatbotCreator(t);
    const persona = await c.persona({ name: 'Bot', triggers: [{ type: 'command', command: '!a' }, { type: 'command', command: '!b' }] });
    const [a, b] = persona.triggers;
    const tiedToA = await c.template(persona.id, { text: 'A!', triggerId: a!.id });
    await c.template(persona.id, { text: 'B!', triggerId: b!.id });
    const untied = await c.template(persona.id, { text: 'Anything', weight: 3 });
    expect(untied).toEqual({ id: expect.any(String), personaId: persona.id, text: 'Anything', weight: 3, triggerId: null, createdAt: expect.any(String), updatedAt: expect.any(String) });

    const replaced = await t.http.patch(`/api/chatbot/personas/${persona.id}`, { token: c.token, body: { triggers: [a, { type: 'keyword', keywords: ['hello'] }] } });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.triggers[0]).toEqual(a);
    const templates = (await t.http.get(`/api/chatbot/personas/${persona.id}/templates`, { token: c.token })).body.items;
    expect(templates.map((x: { text: string }) => x.text)).toEqual(['A!', 'Anything']);

    const edited = await t.http.patch(`/api/chatbot/personas/${persona.id}/templates/${tiedToA.id}`, { token: c.token, body: { text: 'Hi {senderName}', triggerId: null } });
    expect(edited.body).toMatchObject({ text: 'Hi {senderName}', triggerId: null });
    expect((await t.http.delete(`/api/chatbot/personas/${persona.id}/templates/${untied.id}`, { token: c.token })).status).toBe(204);
    expect((await t.http.get(`/api/chatbot/personas/${persona.id}/templates`, { token: c.token })).body.items).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('is a 400 problem naming the field, and writes nothing', async () => {
    const c = await chatbotCreator(t);
    const post = (body: object) => t.http.post('/api/chatbot/personas', { token: c.token, body: { name: 'Bot', ...body } });
    expectProblem(await post({ name: '' }), 400, 'body.name');
    expectProblem(await post({ avatarUrl: 'javascript:alert(1)' }), 400, 'body.avatarUrl');
    expectProblem(await post({ avatarUrl: 'http://plain.example.com/a.png' }), 400, 'body.avatarUrl');
    expectProblem(await post({ minLevel: 'vip' }), 400, 'body.minLevel');
    expectProblem(await post({ cooldowns: { personaSeconds: -1 } }), 400, 'body.cooldowns.personaSeconds');
    expectProblem(await post({ timer: { everyMinutes: 0 } }), 400, 'body.timer.everyMinutes');
    expectProblem(await post({ triggers: [{ type: 'command', command: 'two words' }] }), 400, 'body.triggers.0.command');
    expectProblem(await post({ triggers: [{ type: 'keyword', keywords: ['🔥'] }] }), 400, 'body.triggers.0.keywords.0');
    expectProblem(await post({ triggers: [{ type: 'tip', minCents: 500, maxCents: 100 }] }), 400, 'body.triggers.0.maxCents');
    expectProblem(await post({ triggers: [{ type: 'event', event: 'raid' }] }), 400, 'body.triggers.0.event');
    expectProblem(await post({ triggers: [{ type: 'smoke' }] }), 400, 'body.triggers.0.type');
    const id = randomUUID();
    expectProblem(await post({ triggers: [{ id, type: 'command', command: '!a' }, { id, type: 'command', command: '!b' }] }), 400, 'body.triggers.1.id');
    expect((await t.http.get('/api/chatbot/personas', { token: c.token })).body.items).toEqual([]);

    const persona = await c.persona({ name: 'Bot' });
    expectProblem(await t.http.patch(`/api/chatbot/personas/${persona.id}`, { token: c.token, body: {} }), 400);
    expectProblem(await t.http.get('/api/chatbot/personas/not-a-uuid', { token: c.token }), 400, 'params.id');
    expectProblem(await t.http.post('/api/chatbot/try', { token: c.token, body: { message: '\u200b' } }), 400, 'body.message');
    expect((await t.http.get('/api/chatbot/personas')).status).toBe(401);
  });

  it('refuses a regex RE2 cannot run, or one too long, naming the pattern', async () => {
    const c = await chatbotCreator(t);
    const regex = (pattern: string) => t.http.post('/api/chatbot/personas', { token: c.token, body: { name: 'Bot', triggers: [{ type: 'regex', pattern }] } });
    for (const pattern of ['(a)\\1', '(?=hi)hello', '(?<=a)b', '(?!x)y', 'unclosed[', 'x'.repeat(201)]) {
      const res = await regex(pattern);
      expectProblem(res, 400, 'body.triggers.0.pattern');
    }
    expect((await regex('^(a+)+$')).status).toBe(201);
  });

  it('refuses a template with an unknown variable naming body.text, and a trigger id of no trigger of the persona', async () => {
    const c = await chatbotCreator(t);
    const persona = await c.persona({ name: 'Bot', triggers: [{ type: 'command', command: '!a' }] });
    const other = await c.persona({ name: 'Other', triggers: [{ type: 'command', command: '!b' }] });
    const post = (body: object) => t.http.post(`/api/chatbot/personas/${persona.id}/templates`, { token: c.token, body });
    const unknown = await post({ text: 'Hi {sender}, see {menu} and {goal.name}' });
    expectProblem(unknown, 400, 'body.text');
    expect(unknown.body.detail).toContain('{sender}');
    expect(unknown.body.detail).toContain('{goal.name}');
    expectProblem(await post({ text: 'Hi', weight: 0 }), 400, 'body.weight');
    expectProblem(await post({ text: 'Hi', triggerId: other.triggers[0]!.id }), 400, 'body.triggerId');
    // A lone brace is text, and every known variable is accepted.
    expect((await post({ text: 'Thanks {tipperName} for {amount} :} {senderName} {goal.title} {goal.remaining} {menu}' })).status).toBe(201);
    const [kept] = (await t.http.get(`/api/chatbot/personas/${persona.id}/templates`, { token: c.token })).body.items;
    expectProblem(await t.http.patch(`/api/chatbot/personas/${persona.id}/templates/${kept.id}`, { token: c.token, body: { text: '{nope}' } }), 400, 'body.text');
  });
});

describe("another creator's persona", () => {
  it('is a 404 on every route, exactly like a missing one, and nothing changes', async () => {
    const owner = await chatbotCreator(t);
    const persona = await owner.persona({ name: 'Mine', triggers: [{ type: 'command', command: '!mine' }] });
    const template = await owner.template(persona.id, { text: 'mine' });
    const other = await chatbotCreator(t);
    const token = other.token;
    expectProblem(await t.http.get(`/api/chatbot/personas/${persona.id}`, { token }), 404);
    expectProblem(await t.http.patch(`/api/chatbot/personas/${persona.id}`, { token, body: { name: 'Stolen' } }), 404);
    expectProblem(await t.http.delete(`/api/chatbot/personas/${persona.id}`, { token }), 404);
    expectProblem(await t.http.get(`/api/chatbot/personas/${persona.id}/templates`, { token }), 404);
    expectProblem(await t.http.post(`/api/chatbot/personas/${persona.id}/templates`, { token, body: { text: 'hi' } }), 404);
    expectProblem(await t.http.patch(`/api/chatbot/personas/${persona.id}/templates/${template.id}`, { token, body: { text: 'x' } }), 404);
    expectProblem(await t.http.delete(`/api/chatbot/personas/${persona.id}/templates/${template.id}`, { token }), 404);
    // Their own persona does not reach someone else's template either.
    const theirs = await other.persona({ name: 'Theirs' });
    expectProblem(await t.http.delete(`/api/chatbot/personas/${theirs.id}/templates/${template.id}`, { token }), 404);
    expect((await t.http.get('/api/chatbot/personas', { token })).body.items.map((p: PersonaDto) => p.name)).toEqual(['Theirs']);
    expect(await other.tryChat({ message: '!mine' })).toMatchObject({ answered: false });

    expect((await t.http.get(`/api/chatbot/personas/${persona.id}`, { token: owner.token })).body).toEqual(persona);
    expect((await t.http.get(`/api/chatbot/personas/${persona.id}/templates`, { token: owner.token })).body.items).toEqual([template]);
  });
});

describe('the API document', () => {
  it('describes every chatbot route', async () => {
    const docs = await t.http.get('/api/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths).filter((path) => path.startsWith('/api/chatbot')).sort()).toEqual([
      '/api/chatbot/capabilities',
      '/api/chatbot/personas',
      '/api/chatbot/personas/{id}',
      '/api/chatbot/personas/{id}/templates',
      '/api/chatbot/personas/{id}/templates/{templateId}',
      '/api/chatbot/try',
    ]);
  });
});

describe('the chatbot tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
