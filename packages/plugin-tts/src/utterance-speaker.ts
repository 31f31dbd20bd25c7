import { LockMode, type Clock, type JobContext, type Realtime } from '@streaming-companion/sdk';
import { ttsEvents, type UtteranceSource } from './contract.ts';
import type { SynthesizedSpeech } from './engines/engine.ts';
import { UtteranceEntity } from './entities/utterance.ts';
import type { SessionMutes } from './session-mutes.ts';
import type { SpeechRenderer } from './speech-renderer.ts';
import type { TtsSettingsStore } from './tts-settings-store.ts';

export interface UtteranceSpeakerDependencies {
  settings: TtsSettingsStore;
  mutes: SessionMutes;
  renderer: SpeechRenderer;
  realtime: Realtime;
  clock: Clock;
  /** The job's tries: the last failing one marks the utterance failed. */
  attempts: number;
}

export interface UtteranceKey {
  tipId: string;
  source: UtteranceSource;
}

/**
 * The synthesis job: speaks one admitted utterance and sends it to the session's overlays. The
 * engine runs outside any transaction; the result is written (and `chat_participant_audio`
 * published through the outbox) only if the utterance is still waiting, so a job run twice
 * sends one clip.
 */
export class UtteranceSpeaker {
  readonly #d: UtteranceSpeakerDependencies;

  constructor(dependencies: UtteranceSpeakerDependencies) {
    this.#d = dependencies;
  }

  async speak(key: UtteranceKey, job: JobContext): Promise<void> {
    try {
      await this.#speak(key, job);
    } catch (error) {
      if (job.attempt >= this.#d.attempts) await this.#finish(job, key, { status: 'failed', reason: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
      throw error;
    }
  }

  async #speak(key: UtteranceKey, job: JobContext): Promise<void> {
    const utterance = await job.em.findOne(UtteranceEntity, key);
    if (utterance?.status !== 'queued') return;
    const settings = await this.#d.settings.get(job.em, utterance.creatorId);
    if (!settings.enabled) return this.#finish(job, key, { status: 'skipped', reason: 'disabled' });
    if (await this.#d.mutes.isMuted(job.em, utterance.sessionId)) return this.#finish(job, key, { status: 'skipped', reason: 'muted' });
    const said = this.#d.renderer.textFor(utterance.line, settings);
    if ('skipped' in said) return this.#finish(job, key, { status: 'skipped', reason: said.skipped });
    const speech = await this.#d.renderer.render(said.text, settings);
    await this.#finish(job, key, { status: 'spoken', text: said.text, speech });
  }

  async #finish(job: JobContext, key: UtteranceKey, outcome: Outcome): Promise<void> {
    await job.em.transactional(async (tx) => {
      const utterance = await tx.findOne(UtteranceEntity, key, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (utterance?.status !== 'queued') return;
      utterance.finishedAt = this.#d.clock.now();
      let result = outcome;
      // Muted while the engine ran: the clip is dropped.
      if (result.status === 'spoken' && (await this.#d.mutes.isMuted(tx, utterance.sessionId))) result = { status: 'skipped', reason: 'muted' };
      if (result.status !== 'spoken') {
        utterance.status = result.status;
        utterance.reason = result.reason;
        return;
      }
      const { text, speech } = result;
      utterance.status = 'spoken';
      utterance.spokenText = text;
      utterance.durationMs = speech.durationMs;
      await this.#d.realtime.toSession(utterance.sessionId).publish(tx, ttsEvents.socket.chat_participant_audio, {
        sessionId: utterance.sessionId,
        tipId: utterance.tipId,
        audioBase64: Buffer.from(speech.audio).toString('base64'),
        format: speech.format,
        durationMs: speech.durationMs,
        text,
        source: utterance.source,
      });
    });
  }
}

type Outcome = { status: 'spoken'; text: string; speech: SynthesizedSpeech } | { status: 'skipped' | 'failed'; reason: string };
