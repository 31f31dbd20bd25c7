import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { createManualClock, nextEvent, startTestKernel, type TestKernel, type TestResponse } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLEEP } from '../src/speech-filter.ts';
import { readWav, ttsEvents, ttsPlugin, wavDurationMs, type ParticipantAudio, type TtsSettings } from '../src/index.ts';

const clock = createManualClock('2026-03-29T18:00:00Z');
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, menuPlugin, ttsPlugin], clock });
});
afterAll(() => t?.stop());

function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** The WAV in a clip, checked as a file: its header, and a duration that agrees with it. */
function wavOf(clip: ParticipantAudio) {
  const bytes = Buffer.from(clip.audioBase64, 'base64');
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
  const layout = readWav(bytes);
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(wavDurationMs(layout)).toBe(clip.durationMs);
  return layout;
}

interface Utterance {
  status: string;
  reason: string | null;
  spoken_text: string | null;
}
const utterances = (tipId: string) =>
  t.kernel.forkEm().execute<Utterance[]>(`select status, reason, spoken_text from tts_utterances where tip_id = ? order by source`, [tipId]);

/** A creator live with TTS set as given, and an overlay on the session collecting what it hears. */
async function live(settings: Partial<TtsSettings> = {}) {
  const { token, creator } = await t.createCreator();
  if (Object.keys(settings).length) {
    const saved = await t.http.put('/api/tts/settings', { token, body: settings });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  }
  const sessionId: string = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id;
  const overlay = await t.overlaySocket();
  expect(await overlay.emitWithAck('join_overlay', { sessionId })).toMatchObject({ ok: true });
  const clips: ParticipantAudio[] = [];
  overlay.on('chat_participant_audio', (clip: ParticipantAudio) => clips.push(clip));
  const tip = async (body: object): Promise<string> => {
    const res = await t.http.post('/api/tips', { token, body: { sessionId, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await t.drain();
    return res.body.id;
  };
  /** A last tip that is spoken, then every clip so far: what came before it has arrived too. */
  const clipsUpTo = async (): Promise<ParticipantAudio[]> => {
    const marker = await tip({ amountCents: 100_000, tipperName: 'Marker', message: 'end' });
    await expect.poll(() => clips.some((c) => c.tipId === marker)).toBe(true);
    return clips.filter((c) => c.tipId !== marker);
  };
  return { token, creatorId: creator.id, sessionId, overlay, clips, tip, clipsUpTo };
}

const ON = { enabled: true, minAmountCents: 100 };

describe('a tip with a message', () => {
  it("is spoken as a real WAV clip the session's overlays and the creator's /streaming socket receive, naming the tipper", async () => {
    const l = await live(ON);
    const dashboard = await t.socket(l.token);
    expect(await dashboard.emitWithAck('join_session', { sessionId: l.sessionId })).toMatchObject({ ok: true });
    const heard = nextEvent(l.overlay, ttsEvents.socket.chat_participant_audio);
    const heardOnDashboard = nextEvent(dashboard, ttsEvents.socket.chat_participant_audio);
    const tipId = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'Hello there, lovely stream!' });
    const clip = await heard;
    // Both namespaces get the same clip, bytes and all.
    expect(await heardOnDashboard).toEqual(clip);
    expect(clip).toMatchObject({ sessionId: l.sessionId, tipId, format: 'wav', source: 'message', text: 'Kai says: Hello there, lovely stream!' });
    const wav = wavOf(clip);
    expect(wav).toMatchObject({ formatTag: 1, channels: 1, bitsPerSample: 16 });
    expect(clip.durationMs).toBeGreaterThan(1_000);
    expect(clip.durationMs).toBeLessThanOrEqual(20_000);
    expect(await utterances(tipId)).toEqual([{ status: 'spoken', reason: null, spoken_text: 'Kai says: Hello there, lovely stream!' }]);
  });

  it('is not spoken below the minimum, without a message, or while TTS is off (the default)', async () => {
    const l = await live({ ...ON, minAmountCents: 1_000, readName: false });
    const below = await l.tip({ amountCents: 999, tipperName: 'Kai', message: 'too small' });
    const silent = await l.tip({ amountCents: 5_000, tipperName: 'Kai' });
    const atMinimum = await l.tip({ amountCents: 1_000, tipperName: 'Kai', message: 'just enough' });
    const spoken = await l.clipsUpTo();
    expect(spoken.map((c) => [c.tipId, c.text])).toEqual([[atMinimum, 'just enough']]);
    expect(await utterances(below)).toEqual([]);
    expect(await utterances(silent)).toEqual([]);

    const off = await live();
    expect((await t.http.get('/api/tts/settings', { token: off.token })).body).toMatchObject({ enabled: false });
    const ignored = await off.tip({ amountCents: 5_000, tipperName: 'Kai', message: 'anyone there?' });
    expect(await utterances(ignored)).toEqual([]);
    expect(off.clips).toEqual([]);
  });

  it('is spoken once when its event is delivered twice, and its job run twice sends one clip', async () => {
    const l = await live(ON);
    const tipId = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'only once please' });
    const [row] = await t.kernel.forkEm().execute<Array<{ id: string; payload: Record<string, unknown>; created_at: Date }>>(
      `select id, payload, created_at from core_outbox_events where name = 'streaming.tip.received' and payload->>'tipId' = ?`,
      [tipId],
    );
    const event = { id: row!.id, name: 'streaming.tip.received', payload: row!.payload, occurredAt: new Date(row!.created_at).toISOString() };
    await t.kernel.jobs.enqueue('events.tts.speak-tip', event, { jobId: `again-${row!.id}` });
    await t.kernel.jobs.enqueue('tts.speak', { tipId, source: 'message' }, { jobId: `again-${tipId}` });
    await t.drain();
    const spoken = await l.clipsUpTo();
    expect(spoken.filter((c) => c.tipId === tipId)).toHaveLength(1);
    expect(await utterances(tipId)).toHaveLength(1);
  });
});

describe('abuse controls', () => {
  it('cut the text at a word under maxChars and the audio under maxSeconds', async () => {
    const l = await live({ ...ON, readName: false, maxChars: 30, maxSeconds: 2 });
    const words = 'one two three four five six seven eight nine ten eleven twelve';
    const short = await l.tip({ amountCents: 500, message: words });
    const l2 = await live({ ...ON, readName: false, maxChars: 500, maxSeconds: 1 });
    const long = await l2.tip({ amountCents: 500, message: `${words} ${words} ${words}` });
    const [cut] = await l.clipsUpTo();
    expect(cut).toMatchObject({ tipId: short, text: 'one two three four five six' });
    expect(cut!.durationMs).toBeLessThanOrEqual(2_000);
    wavOf(cut!);
    const [capped] = await l2.clipsUpTo();
    expect(capped).toMatchObject({ tipId: long });
    // Read in full this is well over ten seconds; the clip stops at the cap.
    expect(capped!.durationMs).toBeGreaterThan(900);
    expect(capped!.durationMs).toBeLessThanOrEqual(1_000);
    const layout = wavOf(capped!);
    expect(layout.dataLength).toBeLessThanOrEqual(layout.byteRate);
  });

  it('bleep profanity, slurs and the creator’s own words, or skip the tip entirely', async () => {
    const bleeping = await live({ ...ON, readName: false, filterWords: ['Banana Split', 'josé'] });
    const rude = await bleeping.tip({ amountCents: 500, message: 'what the fuuuck, a BANANA SPLIT for Jose' });
    const clean = await bleeping.tip({ amountCents: 500, message: 'a classic assassin story' });
    expect((await bleeping.clipsUpTo()).map((c) => [c.tipId, c.text])).toEqual([
      [rude, `what the ${BLEEP}, a ${BLEEP} for ${BLEEP}`],
      [clean, 'a classic assassin story'],
    ]);

    const skipping = await live({ ...ON, filterMode: 'skip', filterWords: ['pineapple'] });
    const slur = await skipping.tip({ amountCents: 500, tipperName: 'Kai', message: 'you are a b1tch' });
    const own = await skipping.tip({ amountCents: 500, tipperName: 'Kai', message: 'PINEAPPLE time' });
    const rudeName = await skipping.tip({ amountCents: 500, tipperName: 'shithead', message: 'hi' });
    expect(await skipping.clipsUpTo()).toEqual([]);
    for (const tipId of [slur, own, rudeName]) expect(await utterances(tipId)).toEqual([{ status: 'skipped', reason: 'filtered', spoken_text: null }]);
  });

  it('take out links and markup, and collapse repeated emoji and characters', async () => {
    const l = await live({ ...ON, readName: false });
    const tipId = await l.tip({
      amountCents: 500,
      message: 'follow me https://spam.example/x?y=1 and www.spam.example or spam.com <break time="60s"/> 😂😂😂😂😂 sooooo good!!!!!!',
    });
    const linksOnly = await l.tip({ amountCents: 500, message: 'https://spam.example <b></b>' });
    expect((await l.clipsUpTo()).map((c) => [c.tipId, c.text])).toEqual([[tipId, 'follow me and or 😂 soo good!']]);
    expect(await utterances(linksOnly)).toEqual([{ status: 'skipped', reason: 'empty', spoken_text: null }]);
  });

  it('speak at most perTipperPerMinute tips of one tipper in a minute, by the clock', async () => {
    const l = await live({ ...ON, readName: false, perTipperPerMinute: 2 });
    const first = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'one' });
    const second = await l.tip({ amountCents: 500, tipperName: 'KAI', message: 'two' });
    const third = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'three' });
    const someoneElse = await l.tip({ amountCents: 500, tipperName: 'Ro', message: 'mine' });
    clock.advance(61_000);
    const later = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'four' });
    expect((await l.clipsUpTo()).map((c) => c.tipId)).toEqual([first, second, someoneElse, later]);
    expect(await utterances(third)).toEqual([{ status: 'refused', reason: 'rate_limited', spoken_text: null }]);
  });
});

describe('the creator’s controls', () => {
  it('send skip, mute and unmute to the overlays at once; a muted session queues nothing, and a joining overlay learns the state', async () => {
    const l = await live(ON);
    const joining = async (action: string) => {
      const overlay = await t.overlaySocket();
      const told = nextEvent(overlay, ttsEvents.socket.tts_control);
      expect(await overlay.emitWithAck('join_overlay', { sessionId: l.sessionId })).toMatchObject({ ok: true });
      expect(await told).toEqual({ sessionId: l.sessionId, action });
    };
    await joining('unmute');
    const control = (action: string) => t.http.post('/api/tts/control', { token: l.token, body: { sessionId: l.sessionId, action } });

    const skip = nextEvent(l.overlay, ttsEvents.socket.tts_control, { match: (c) => c.action === 'skip' });
    expect(await control('skip')).toMatchObject({ status: 200, body: { sessionId: l.sessionId, muted: false } });
    expect(await skip).toEqual({ sessionId: l.sessionId, action: 'skip' });

    const mute = nextEvent(l.overlay, ttsEvents.socket.tts_control, { match: (c) => c.action === 'mute' });
    expect((await control('mute')).body).toEqual({ sessionId: l.sessionId, muted: true });
    expect(await mute).toEqual({ sessionId: l.sessionId, action: 'mute' });
    expect((await t.http.get(`/api/tts/control?sessionId=${l.sessionId}`, { token: l.token })).body).toEqual({ sessionId: l.sessionId, muted: true });
    const unheard = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'can you hear me?' });
    expect(await utterances(unheard)).toEqual([{ status: 'refused', reason: 'muted', spoken_text: null }]);

    await joining('mute');

    const unmute = nextEvent(l.overlay, ttsEvents.socket.tts_control, { match: (c) => c.action === 'unmute' });
    expect((await control('unmute')).body).toEqual({ sessionId: l.sessionId, muted: false });
    expect(await unmute).toEqual({ sessionId: l.sessionId, action: 'unmute' });
    const heard = await l.tip({ amountCents: 500, tipperName: 'Kai', message: 'and now?' });
    expect((await l.clipsUpTo()).map((c) => c.tipId)).toEqual([heard]);
  });

  it("refuse another creator's session, and keep each creator's settings their own", async () => {
    const owner = await live(ON);
    const { token: other } = await t.createCreator();
    expectProblem(await t.http.post('/api/tts/control', { token: other, body: { sessionId: owner.sessionId, action: 'mute' } }), 404, 'sessionId');
    expectProblem(await t.http.get(`/api/tts/control?sessionId=${owner.sessionId}`, { token: other }), 404, 'sessionId');
    expect((await t.http.get(`/api/tts/control?sessionId=${owner.sessionId}`, { token: owner.token })).body.muted).toBe(false);
    expect((await t.http.get('/api/tts/settings', { token: other })).body.enabled).toBe(false);
    expect((await t.http.get('/api/tts/settings', { token: owner.token })).body.enabled).toBe(true);
    expect((await t.http.get('/api/tts/settings')).status).toBe(401);
  });
});

describe('a menu item with a line to speak', () => {
  it('speaks the line, filled in, for the tip that bought it', async () => {
    const l = await live({ ...ON, minAmountCents: 10_000 });
    await t.http.post('/api/menu', { token: l.token, body: { title: 'Flash', priceCents: 500, actions: { ttsTemplate: '{tipperName} bought {title}!' } } });
    const tipId = await l.tip({ amountCents: 500, tipperName: 'Kai' });
    expect((await l.clipsUpTo()).map((c) => [c.tipId, c.source, c.text])).toEqual([[tipId, 'menu', 'Kai bought Flash!']]);
  });
});

describe('settings, voices and preview', () => {
  it('answer defaults, change only the fields given, and list the engine’s voices', async () => {
    const { token } = await t.createCreator();
    expect((await t.http.get('/api/tts/settings', { token })).body).toEqual({
      enabled: false,
      minAmountCents: 100,
      voice: 'en-us',
      speed: 170,
      pitch: 50,
      maxChars: 200,
      maxSeconds: 20,
      filterWords: [],
      filterMode: 'bleep',
      perTipperPerMinute: 3,
      readName: true,
    });
    const changed = await t.http.put('/api/tts/settings', { token, body: { voice: 'en-gb', filterWords: ['  two   words '], speed: 200 } });
    expect(changed.body).toMatchObject({ voice: 'en-gb', filterWords: ['two words'], speed: 200, pitch: 50, enabled: false });
    expect((await t.http.get('/api/tts/settings', { token })).body).toEqual(changed.body);
    const voices = (await t.http.get('/api/tts/voices', { token })).body.voices;
    expect(voices.length).toBeGreaterThan(50);
    expect(voices).toContainEqual({ id: 'en-us', name: 'English (America)', language: 'en-us' });
  });

  it('preview a text as WAV through the filter and caps', async () => {
    const { token } = await t.createCreator();
    await t.http.put('/api/tts/settings', { token, body: { maxSeconds: 1, filterWords: ['secret'] } });
    const res = await fetch(`${t.url}/api/tts/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'This is a rather long preview of my secret voice that goes on and on', voice: 'en-gb', speed: 120, pitch: 70 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wavDurationMs(readWav(wav))).toBeLessThanOrEqual(1_000);

    await t.http.put('/api/tts/settings', { token, body: { filterMode: 'skip' } });
    expectProblem(await t.http.post('/api/tts/preview', { token, body: { text: 'my secret' } }), 422, 'body.text');
    expectProblem(await t.http.post('/api/tts/preview', { token, body: { text: 'https://only.a/link' } }), 422, 'body.text');
  });

  it('refuse bad input with a 400 naming each field, and change nothing', async () => {
    const { token } = await t.createCreator();
    const put = (body: object) => t.http.put('/api/tts/settings', { token, body });
    expectProblem(await put({ speed: 79 }), 400, 'body.speed');
    expectProblem(await put({ speed: 451 }), 400, 'body.speed');
    expectProblem(await put({ pitch: 100 }), 400, 'body.pitch');
    expectProblem(await put({ maxChars: 0 }), 400, 'body.maxChars');
    expectProblem(await put({ maxChars: 501 }), 400, 'body.maxChars');
    expectProblem(await put({ maxSeconds: 61 }), 400, 'body.maxSeconds');
    expectProblem(await put({ filterMode: 'scream' }), 400, 'body.filterMode');
    expectProblem(await put({ filterWords: ['   '] }), 400, 'body.filterWords.0');
    expectProblem(await put({ minAmountCents: -1 }), 400, 'body.minAmountCents');
    expectProblem(await put({ perTipperPerMinute: 0 }), 400, 'body.perTipperPerMinute');
    expectProblem(await put({ voice: 'klingon' }), 400, 'body.voice');
    expectProblem(await put({ enabled: 'yes' }), 400, 'body.enabled');
    expectProblem(await put({ loud: true }), 400);
    expectProblem(await put({}), 400);
    expect((await t.http.get('/api/tts/settings', { token })).body).toMatchObject({ enabled: false, speed: 170, voice: 'en-us' });

    expectProblem(await t.http.post('/api/tts/preview', { token, body: {} }), 400, 'body.text');
    expectProblem(await t.http.post('/api/tts/preview', { token, body: { text: 'hi', voice: 'klingon' } }), 400, 'body.voice');
    expectProblem(await t.http.post('/api/tts/preview', { token, body: { text: 'hi', speed: 5 } }), 400, 'body.speed');
    expectProblem(await t.http.post('/api/tts/control', { token, body: { sessionId: 'nope', action: 'explode' } }), 400, 'body.action');
    expectProblem(await t.http.post('/api/tts/control', { token, body: { sessionId: 'nope', action: 'mute' } }), 400, 'body.sessionId');
    expectProblem(await t.http.get('/api/tts/control?sessionId=nope', { token }), 400, 'query.sessionId');
  });
});

describe('the tts tables', () => {
  it('match the entities once migrated (the schema diff is empty)', async () => {
    expect(await t.schemaDiff()).toBe('');
  });
});
