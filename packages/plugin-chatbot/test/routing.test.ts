import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { createManualClock, startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatbotPlugin } from '../src/index.ts';
import { chatSource, expectProblem, liveCreator } from './support/chatbot-harness.ts';

const clock = createManualClock('2026-12-01T20:00:00Z');
/** The template choices: each reply takes the next draw (0 when none is queued). */
const draws: number[] = [];
const random = () => draws.shift() ?? 0;

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({
    plugins: [tipsPlugin, goalsPlugin, menuPlugin, createChatbotPlugin({ random }), chatSource],
    clock,
    // Timer runs are started by the tests themselves.
    pluginConfig: { chatbot: { timerCheckEveryMs: 600_000 } },
  });
});
afterAll(() => t?.stop());
beforeEach(() => {
  draws.length = 0;
});

const command = (command: string, extra: object = {}) => ({ type: 'command', command, ...extra });

describe('routing', () => {
  it('answers with the highest-priority persona whose trigger matches, and the dry run says why', async () => {
    const l = await liveCreator(t);
    const low = await l.bot({ name: 'Low', priority: 1, triggers: [{ type: 'keyword', keywords: ['hello'] }] }, 'low says hi');
    await l.bot({ name: 'High', priority: 5, triggers: [{ type: 'keyword', keywords: ['good night', 'hello'] }] }, 'high says hi {senderName}');
    await l.bot({ name: 'Off', priority: 9, enabled: false, triggers: [{ type: 'keyword', keywords: ['hello'] }] }, 'never');
    await l.bot({ name: 'Menu', priority: 7, triggers: [command('!menu')] }, 'the menu');

    expect(await l.say('well HELLO there', 'Kai')).toEqual({
      sessionId: l.sessionId,
      personaId: expect.any(String),
      personaName: 'High',
      avatarUrl: null,
      responseText: 'high says hi Kai',
      trigger: { id: expect.any(String), type: 'keyword' },
    });
    // Whole words, case-insensitive; a phrase is consecutive words.
    expect(await l.say('othello')).toBeNull();
    expect((await l.say('Good  night, all!'))?.personaName).toBe('High');
    expect(await l.say('good, not night')).toBeNull();
    // The command is the first word only.
    expect((await l.say('!MENU please'))?.responseText).toBe('the menu');
    expect(await l.say('show me the !menu')).toBeNull();

    const tried = await l.tryChat({ message: 'hello', senderName: 'Kai' });
    expect(tried).toEqual({
      answered: true,
      personaId: expect.any(String),
      personaName: 'High',
      responseText: 'high says hi Kai',
      trigger: { id: expect.any(String), type: 'keyword' },
      why: [
        'Off (priority 9): disabled',
        'Menu (priority 7): no trigger matched',
        'High (priority 5): keyword "good night" / "hello" matched: answers',
        'Low (priority 1): keyword "hello" matched, skipped for priority: High answers first',
      ],
    });
    // Without High, Low answers.
    await t.http.patch(`/api/chatbot/personas/${tried.personaId}`, { token: l.token, body: { enabled: false } });
    expect((await l.say('hello'))?.personaId).toBe(low.id);
  });

  it('keeps cooldowns per persona, per trigger and per sender, by the clock, and the dry run takes none', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Cool', triggers: [command('!a'), command('!b')], cooldowns: { personaSeconds: 10, triggerSeconds: 60, senderSeconds: 120 } }, 'ok');
    await l.bot({ name: 'Fallback', priority: -1, triggers: [command('!a'), command('!b')] }, 'fallback');

    expect((await l.tryChat({ message: '!a' })).personaName).toBe('Cool');
    expect((await l.say('!a', 'ann'))?.personaName).toBe('Cool');
    // Persona cooldown: 10 s for everyone; the next persona in line answers meanwhile.
    expect((await l.say('!b', 'bob'))?.personaName).toBe('Fallback');
    expect((await l.tryChat({ message: '!b', senderName: 'bob' })).why).toContain('Cool (priority 0): command !b matched, skipped for cooldown: persona cooldown, 10 s left');
    clock.advance(10_000);
    expect((await l.say('!b', 'bob'))?.personaName).toBe('Cool');
    clock.advance(10_000);
    // Trigger cooldown: !a was used 20 s ago (60 s); the sender cooldown holds ann (120 s) and bob.
    expect((await l.say('!a', 'carl'))?.personaName).toBe('Fallback');
    expect((await l.say('!c', 'carl'))).toBeNull();
    clock.advance(40_000);
    expect((await l.say('!a', 'ann'))?.personaName).toBe('Fallback');
    expect((await l.say('!a', 'Carl'))?.personaName).toBe('Cool');
    clock.advance(60_000);
    expect((await l.say('!b', 'ANN'))?.personaName).toBe('Cool');
  });

  it('lets a persona or a trigger require a viewer level: everyone < has tokens < recent tips some < lots < tons < fan club < moderator', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Mods', priority: 6, minLevel: 'moderator', triggers: [command('!help')] }, 'mod help');
    await l.bot({ name: 'Fans', priority: 5, triggers: [command('!help', { minLevel: 'fan_club' }), command('!hi')] }, 'fan help');
    await l.bot({ name: 'Whales', priority: 4, triggers: [command('!help', { minLevel: 'recent_tips_tons' })] }, 'whale help');
    await l.bot({ name: 'Big tippers', priority: 3, minLevel: 'recent_tips_lots', triggers: [command('!help')] }, 'big tipper help');
    await l.bot({ name: 'Tippers', priority: 2, minLevel: 'recent_tips_some', triggers: [command('!help'), command('!thanks')] }, 'tipper help');
    await l.bot({ name: 'Anyone', priority: 0, triggers: [command('!help')] }, 'help');

    const helpFrom = async (standing?: object) => (await l.say('!help', 'viewer', standing))?.personaName;
    expect(await helpFrom()).toBe('Anyone');
    expect(await helpFrom({ hasTokens: true })).toBe('Anyone');
    expect(await helpFrom({ hasTokens: true, recentTips: 'none' })).toBe('Anyone');
    // Chaturbate's recentTips tiers, each at least the one below.
    expect(await helpFrom({ hasTokens: true, recentTips: 'some' })).toBe('Tippers');
    expect(await helpFrom({ recentTips: 'lots' })).toBe('Big tippers');
    expect(await helpFrom({ recentTips: 'tons' })).toBe('Whales');
    expect((await l.say('!thanks', 'viewer', { recentTips: 'tons' }))?.personaName).toBe('Tippers');
    expect(await l.say('!thanks', 'viewer', { hasTokens: true, recentTips: 'none' })).toBeNull();
    expect(await helpFrom({ recentTips: 'tons', inFanClub: true })).toBe('Fans');
    expect(await helpFrom({ isModerator: true })).toBe('Mods');
    // The persona's own minimum still lets everyone reach its other trigger.
    expect((await l.say('!hi'))?.personaName).toBe('Fans');
    expect((await l.tryChat({ message: '!help', standing: { hasTokens: true } })).why).toEqual(
      expect.arrayContaining([
        'Mods (priority 6): command !help matched, skipped for level: needs moderator, the sender is has_tokens',
        'Fans (priority 5): command !help matched, skipped for level: needs fan_club, the sender is has_tokens',
      ]),
    );
    expect((await l.tryChat({ message: '!help', standing: { recentTips: 'lots' } })).why).toContain(
      'Whales (priority 4): command !help matched, skipped for level: needs recent_tips_tons, the sender is recent_tips_lots',
    );
  });

  it('matches regular expressions in linear time: a catastrophic pattern on a long hostile message is answered at once', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Strict', priority: 2, triggers: [{ type: 'regex', pattern: '^(a+)+$' }] }, 'all a');
    await l.bot({ name: 'Pairs', priority: 1, triggers: [{ type: 'regex', pattern: '(a|aa)+c' }] }, 'a then c');
    await l.bot({ name: 'Links', triggers: [{ type: 'regex', pattern: 'https?://\\S+' }] }, 'no links please');
    // Backtracking engines take exponential time on these (30 characters are enough to hang them); RE2 runs them in one pass.
    // No timing assertion: were it backtracking, the test would hang until its time-out.
    expect(await l.say(`${'a'.repeat(499)}b`)).toBeNull();
    expect((await l.say('aaaa'))?.personaName).toBe('Strict');
    expect((await l.say(`${'a'.repeat(300)}b${'a'.repeat(150)}c`))?.personaName).toBe('Pairs');
    expect((await l.say('see HTTPS://spam.example'))?.personaName).toBe('Links');
  });

  it('picks among the matching templates by weight, those tied to the trigger first, from the random source', async () => {
    const l = await liveCreator(t);
    const persona = await l.persona({ name: 'Picky', triggers: [command('!roll'), command('!tied')] });
    await l.template(persona.id, { text: 'rare', weight: 1 });
    await l.template(persona.id, { text: 'common', weight: 3 });
    await l.template(persona.id, { text: 'tied', triggerId: persona.triggers[1]!.id });
    draws.push(0.2, 0.5, 0.99, 0.2);
    const rolls = [];
    for (let i = 0; i < 3; i++) rolls.push((await l.say('!roll'))?.responseText);
    // 0.2 × 4 falls in the first weight, 0.5 × 4 and 0.99 × 4 in the second's.
    expect(rolls).toEqual(['rare', 'common', 'common']);
    expect((await l.say('!tied'))?.responseText).toBe('tied');
  });

  it('fills in template variables from the occasion, inserting viewer text as it is, capped, and skips templates whose variables have no value', async () => {
    const l = await liveCreator(t);
    const persona = await l.persona({ name: 'Host', triggers: [command('!goal'), command('!menu'), command('!tip')] });
    const [goal, menu, tip] = persona.triggers.map((trigger) => trigger.id);
    await l.template(persona.id, { text: '{goal.title}: {goal.remaining} to go, {senderName}!', triggerId: goal });
    await l.template(persona.id, { text: 'Menu: {menu}', triggerId: menu });
    await l.template(persona.id, { text: 'Thanks {tipperName} for {amount}', triggerId: tip });

    // No goal, no menu, no tip in chat: those templates do not fit, and nothing answers.
    expect(await l.say('!goal')).toBeNull();
    expect(await l.say('!menu')).toBeNull();
    expect(await l.say('!tip')).toBeNull();
    expect((await l.tryChat({ message: '!tip' })).why).toEqual(['Host (priority 0): command !tip matched, but no template fits: {tipperName} has no value here']);

    await t.http.post('/api/goals', { token: l.token, body: { sessionId: l.sessionId, title: 'Oil show', targetCents: 5_000 } });
    await l.tip({ amountCents: 1_250 });
    await t.drain();
    expect((await l.say('!goal', '{menu} <b>Ro</b>'))?.responseText).toBe('Oil show: $37.50 to go, {menu} <b>Ro</b>!');
    const longName = 'N'.repeat(100);
    expect((await l.say('!goal', longName))?.responseText).toBe(`Oil show: $37.50 to go, ${'N'.repeat(59)}…!`);

    for (const item of [
      { title: 'Flash', priceCents: 500, priceTokens: 50 },
      { title: 'Dance', priceCents: 1_000 },
    ]) {
      expect((await t.http.post('/api/menu', { token: l.token, body: item })).status).toBe(201);
    }
    expect((await l.say('!menu'))?.responseText).toBe('Menu: Flash 50 tokens · Dance $10.00');
  });

  it('never answers a sender named like one of its personas, so two bots cannot loop', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Echo', triggers: [{ type: 'keyword', keywords: ['echo'] }] }, 'echo echo');
    await l.bot({ name: 'Sleepy', enabled: false, triggers: [] }, 'zzz');
    expect((await l.say('echo?', 'fan'))?.responseText).toBe('echo echo');
    expect(await l.say('echo echo', 'Echo')).toBeNull();
    expect(await l.say('echo echo', ' echo ')).toBeNull();
    expect(await l.say('echo', 'SLEEPY')).toBeNull();
    expect((await l.tryChat({ message: 'echo', senderName: 'Echo' })).why).toEqual([
      '"Echo" is the name of one of your personas: never answered, so personas cannot answer each other in a loop',
    ]);
  });
});

describe('chat, tips, goals and menu purchases', () => {
  it('answers chat a connector reports (streaming.chat.message), cleaned, with the standing as the level', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Greeter', triggers: [{ type: 'keyword', keywords: ['hi'] }] }, 'hello {senderName}');
    await l.bot({ name: 'ModOnly', priority: 1, minLevel: 'moderator', triggers: [{ type: 'keyword', keywords: ['hi'] }] }, 'hello mod {senderName}');
    const first = l.nextReply();
    await l.chat('hi\u200b there', 'fan\u200b1');
    expect(await first).toMatchObject({ sessionId: l.sessionId, personaName: 'Greeter', responseText: 'hello fan1', trigger: { type: 'keyword' } });
    const second = l.nextReply();
    await l.chat('hi', 'boss', { isModerator: true });
    expect(await second).toMatchObject({ personaName: 'ModOnly', responseText: 'hello mod boss' });
    await l.chat('hi', 'Greeter');
    expect(await l.settledReplies()).toHaveLength(2);
  });

  it('answers a redelivered chat event once', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Once', triggers: [command('!once')] }, 'once');
    await l.chat('!once');
    await t.drain();
    const [row] = await t.kernel.forkEm().execute<Array<{ id: string; payload: Record<string, unknown>; created_at: Date }>>(
      `select id, payload, created_at from core_outbox_events where name = 'streaming.chat.message' and payload->>'sessionId' = ?`,
      [l.sessionId],
    );
    const event = { id: row!.id, name: 'streaming.chat.message', payload: row!.payload, occurredAt: new Date(row!.created_at).toISOString() };
    await t.kernel.jobs.enqueue('events.chatbot.answer-chat', event, { jobId: `again-${row!.id}` });
    expect((await l.settledReplies()).map((reply) => reply.responseText)).toEqual(['once']);
  });

  it('answers tips by amount range and as events, with the tipper standing as the level', async () => {
    const l = await liveCreator(t);
    const thanks = await l.persona({ name: 'Thanks', priority: 2, triggers: [{ type: 'tip', minCents: 1_000, maxCents: 4_999 }, { type: 'tip', minCents: 5_000, minLevel: 'fan_club' }] });
    await l.template(thanks.id, { text: 'Thank you {tipperName} for {amount}!' });
    await l.bot({ name: 'AnyTip', triggers: [{ type: 'event', event: 'tip' }] }, '{senderName} tipped');

    await l.tip({ amountCents: 500, tipperName: 'small' });
    await l.tip({ amountCents: 1_000, tokens: 200, tipperName: 'kai' });
    await l.tip({ amountCents: 6_000, tipperName: 'big' });
    await l.tip({ amountCents: 7_000, tipperName: 'vip', tipperStanding: { inFanClub: true } });
    await l.tip({ amountCents: 1_500 });
    const replies = await l.settledReplies();
    expect(replies.map((r) => [r.personaName, r.responseText, r.trigger.type]).sort()).toEqual(
      [
        ['AnyTip', 'small tipped', 'event'],
        ['Thanks', 'Thank you kai for 200 tokens!', 'tip'],
        ['AnyTip', 'big tipped', 'event'],
        ['Thanks', 'Thank you vip for $70.00!', 'tip'],
        ['Thanks', 'Thank you Anonymous for $15.00!', 'tip'],
      ].sort(),
    );
  });

  it('answers goal completions and menu purchases', async () => {
    const l = await liveCreator(t);
    await l.bot({ name: 'Goals', triggers: [{ type: 'event', event: 'goal_completed' }] }, '{goal.title} reached! {goal.remaining} left');
    await l.bot({ name: 'Shop', triggers: [{ type: 'event', event: 'menu_item_purchased' }] }, '{tipperName} bought something for {amount}');
    await t.http.post('/api/goals', { token: l.token, body: { sessionId: l.sessionId, title: 'Dance', targetCents: 1_000 } });
    await t.http.post('/api/goals', { token: l.token, body: { sessionId: l.sessionId, title: 'Next one', targetCents: 9_000 } });
    expect((await t.http.post('/api/menu', { token: l.token, body: { title: 'Flash', priceCents: 300 } })).status).toBe(201);

    await l.tip({ amountCents: 300, tipperName: 'ro' });
    await l.tip({ amountCents: 800, tipperName: 'kai' });
    const replies = await l.settledReplies();
    expect(replies.map((r) => [r.personaName, r.responseText, r.trigger.type]).sort()).toEqual(
      [
        ['Shop', 'ro bought something for $3.00', 'event'],
        ['Goals', 'Dance reached! $0.00 left', 'event'],
      ].sort(),
    );
  });
});

describe('chatbot_message', () => {
  it("takes only the creator's own live session", async () => {
    const owner = await liveCreator(t);
    await owner.bot({ name: 'Bot', triggers: [command('!hi')] }, 'hi');
    const stranger = await liveCreator(t);
    const refused = await stranger.socket.emitWithAck('chatbot_message', { sessionId: owner.sessionId, senderName: 'x', message: '!hi' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'session_not_found' } });
    const bad = await stranger.socket.emitWithAck('chatbot_message', { sessionId: owner.sessionId, senderName: '', message: '!hi' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    await t.http.post(`/api/sessions/${owner.sessionId}/end`, { token: owner.token });
    const ended = await owner.socket.emitWithAck('chatbot_message', { sessionId: owner.sessionId, senderName: 'x', message: '!hi' });
    expect(ended).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(owner.replies).toEqual([]);
    expectProblem(await t.http.post('/api/chatbot/try', { token: stranger.token, body: { message: '!hi', standing: { vip: true } } }), 400, 'body.standing');
  });
});

describe('timers', () => {
  it('speak every N minutes of a live session, only after chat when asked, once however many runs overlap', async () => {
    const l = await liveCreator(t);
    const always = await l.persona({ name: 'Always', timer: { everyMinutes: 10, onlyWhenChatActive: false } });
    await l.template(always.id, { text: 'Tip menu: {menu}' });
    await l.template(always.id, { text: 'Follow me!' });
    const chatty = await l.persona({ name: 'Chatty', timer: { everyMinutes: 5 } });
    await l.template(chatty.id, { text: 'Keep chatting!' });
    let seen = 0;
    let runs = 0;
    /** Run the due-timer job twice, as two instances' schedules may; answers the replies it sent. */
    const runTimers = async () => {
      for (const n of [1, 2]) await t.kernel.jobs.enqueue('chatbot.send-due-timers', {}, { jobId: `timers-${l.sessionId}-${++runs}-${n}` });
      const replies = (await l.settledReplies()).slice(seen).map((reply) => `${reply.personaName}: ${reply.responseText}`);
      seen += replies.length;
      return replies;
    };

    clock.advance(4 * 60_000);
    expect(await runTimers()).toEqual([]);
    clock.advance(2 * 60_000);
    // Chatty's 5 minutes are up, but nobody has chatted yet.
    expect(await runTimers()).toEqual([]);
    expect(await l.say('hi all')).toBeNull();
    expect(await runTimers()).toEqual(['Chatty: Keep chatting!']);
    clock.advance(4 * 60_000);
    // No menu, so the template using it does not fit.
    expect(await runTimers()).toEqual(['Always: Follow me!']);
    expect(await runTimers()).toEqual([]);
    clock.advance(5 * 60_000);
    // Chatty's time has come again, but nobody chatted since its last message.
    expect(await runTimers()).toEqual([]);
    await l.chat('still here');
    await t.drain();
    expect(await runTimers()).toEqual(['Chatty: Keep chatting!']);
    expect(l.replies.every((reply) => reply.trigger.type === 'timer' && reply.trigger.id === null)).toBe(true);
  });

  it('stay quiet once the session has ended', async () => {
    const l = await liveCreator(t);
    const persona = await l.persona({ name: 'Chime', timer: { everyMinutes: 5, onlyWhenChatActive: false } });
    await l.template(persona.id, { text: 'chime' });
    const run = async () => {
      await t.kernel.jobs.enqueue('chatbot.send-due-timers', {}, { jobId: `chime-${l.sessionId}-${clock.now().getTime()}` });
      return (await l.settledReplies()).length;
    };
    clock.advance(5 * 60_000);
    expect(await run()).toBe(1);
    expect((await t.http.post(`/api/sessions/${l.sessionId}/end`, { token: l.token })).status).toBe(200);
    await t.drain();
    clock.advance(10 * 60_000);
    expect(await run()).toBe(1);
  });
});
