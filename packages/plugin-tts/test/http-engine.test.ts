import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav, ttsPlugin, wavDurationMs, type ParticipantAudio } from '../src/index.ts';
import { startFakeTtsServer } from './support/fake-tts-server.ts';

/** The HTTP engine, chosen by plugin config, against a speech service the test runs on loopback. */
const VOICES = [
  { id: 'nova', name: 'Nova', language: 'en-us' },
  { id: 'echo', name: 'Echo', language: 'en-gb' },
];
let service: Awaited<ReturnType<typeof startFakeTtsServer>>;
let t: TestKernel;
beforeAll(async () => {
  service = await startFakeTtsServer({ seconds: 3 });
  t = await startTestKernel({
    plugins: [tipsPlugin, ttsPlugin],
    pluginConfig: { tts: { engine: { kind: 'http', url: service.url, apiKey: 'sk-test-123', voices: VOICES }, concurrency: 2 } },
  });
});
afterAll(async () => {
  await t?.stop();
  await service?.close();
});

async function live(maxSeconds = 2) {
  const { token } = await t.createCreator();
  expect((await t.http.put('/api/tts/settings', { token, body: { enabled: true, maxSeconds, readName: false } })).status).toBe(200);
  const sessionId: string = (await t.http.post('/api/sessions', { token, body: { platform: 'other' } })).body.id;
  const overlay = await t.overlaySocket();
  expect(await overlay.emitWithAck('join_overlay', { sessionId })).toMatchObject({ ok: true });
  const clips: ParticipantAudio[] = [];
  overlay.on('chat_participant_audio', (clip: ParticipantAudio) => clips.push(clip));
  const tip = async (tipperName: string, message: string): Promise<string> => {
    const res = await t.http.post('/api/tips', { token, body: { sessionId, amountCents: 500, tipperName, message } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  return { token, sessionId, clips, tip };
}

describe('the HTTP engine', () => {
  it("lists the configured voices, posts the text with the creator's voice and the API key, and caps the WAV it answers", async () => {
    const l = await live(2);
    expect((await t.http.get('/api/tts/voices', { token: l.token })).body).toEqual({ voices: VOICES });
    expect((await t.http.get('/api/tts/settings', { token: l.token })).body.voice).toBe('nova');
    await t.http.put('/api/tts/settings', { token: l.token, body: { voice: 'echo', speed: 220, pitch: 30 } });

    const tipId = await l.tip('Kai', 'hello <b>there</b> https://spam.example');
    await t.drain();
    await expect.poll(() => l.clips.length).toBe(1);
    const sent = service.requests.find((r) => r.body.text === 'hello there');
    expect(sent).toEqual({ authorization: 'Bearer sk-test-123', body: { text: 'hello there', voice: 'echo', speed: 220, pitch: 30 } });
    const [clip] = l.clips;
    expect(clip).toMatchObject({ tipId, format: 'wav', text: 'hello there' });
    // The service answered three seconds; the creator allows two.
    expect(clip!.durationMs).toBe(2_000);
    expect(wavDurationMs(readWav(Buffer.from(clip!.audioBase64, 'base64')))).toBe(2_000);
  });

  it('runs at most `concurrency` syntheses at once, and speaks every tip', async () => {
    const l = await live();
    const before = service.requests.length;
    service.maxInFlight = 0;
    service.hold = { together: 2, expected: before + 5 };
    try {
      const tips = [];
      for (const name of ['A', 'B', 'C', 'D', 'E']) tips.push(await l.tip(name, `tip from ${name}`));
      await t.drain();
      await expect.poll(() => l.clips.length).toBe(5);
      expect(new Set(l.clips.map((c) => c.tipId))).toEqual(new Set(tips));
      expect(service.maxInFlight).toBe(2);
    } finally {
      service.hold = undefined;
    }
  });

  it('answers a preview with a 503 when the service fails, and marks a tip failed after its last try', async () => {
    const l = await live();
    service.failWith = 500;
    try {
      const preview = await t.http.post('/api/tts/preview', { token: l.token, body: { text: 'hello' } });
      expect(preview.status).toBe(503);
      expect(preview.body).toMatchObject({ code: 'tts_unavailable' });
      const tipId = await l.tip('Kai', 'will this work?');
      await t.drain();
      const [row] = await t.kernel.forkEm().execute<Array<{ status: string; reason: string }>>(`select status, reason from tts_utterances where tip_id = ?`, [tipId]);
      expect(row).toEqual({ status: 'failed', reason: 'the TTS service answered 500' });
      expect(l.clips).toEqual([]);
    } finally {
      service.failWith = undefined;
    }
  });
});
