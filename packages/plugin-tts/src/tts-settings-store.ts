import { LockMode, Problem, type EntityManager } from '@streaming-companion/sdk';
import type { TtsSettings } from './contract.ts';
import type { TtsEngine } from './engines/engine.ts';
import { TtsSettingsEntity, type TtsSettingsRow } from './entities/tts-settings.ts';

/**
 * Whether speech is on and the tip reaches its minimum (a creator with no settings row has speech
 * off): asked for every tip, with the other plugins' conditions. Admitting it decides for good.
 */
export const mayBeSpoken = {
  sql: 'exists (select 1 from tts_settings where creator_id = ? and enabled and min_amount_cents <= ?)',
  params: ({ payload }: { payload: { creatorId: string; amountCents: number } }) => [payload.creatorId, payload.amountCents],
};

/** What a creator who never saved settings has: speech off until they turn it on. */
export function defaultSettings(voice: string): TtsSettings {
  return {
    enabled: false,
    minAmountCents: 100,
    voice,
    speed: 170,
    pitch: 50,
    maxChars: 200,
    maxSeconds: 20,
    filterWords: [],
    filterMode: 'bleep',
    perTipperPerMinute: 3,
    readName: true,
  };
}

/** Each creator's settings: their saved row, or the defaults. */
export class TtsSettingsStore {
  readonly #engine: TtsEngine;

  constructor(engine: TtsEngine) {
    this.#engine = engine;
  }

  async get(em: EntityManager, creatorId: string): Promise<TtsSettings> {
    const row = await em.findOne(TtsSettingsEntity, { creatorId });
    return row ? toSettings(row) : defaultSettings(this.#engine.defaultVoice);
  }

  /**
   * Inside a transaction: the settings of a creator with speech on, their row locked until it
   * ends, so deciding on their tips (and counting them) goes one tip at a time; null when off.
   */
  async lockIfEnabled(em: EntityManager, creatorId: string): Promise<TtsSettings | null> {
    const row = await em.findOne(TtsSettingsEntity, { creatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return row?.enabled ? toSettings(row) : null;
  }

  /** Change the fields given; the others keep their value. The voice must be one the engine has. */
  async update(em: EntityManager, creatorId: string, changes: Partial<TtsSettings>): Promise<TtsSettings> {
    if (changes.voice !== undefined) await requireKnownVoice(this.#engine, changes.voice);
    return em.transactional(async (tx) => {
      const settings = { ...(await this.get(tx, creatorId)), ...changes };
      await tx.upsert(TtsSettingsEntity, { creatorId, ...settings, updatedAt: new Date() });
      return settings;
    });
  }
}

/** A 400 naming `body.voice` unless the engine has this voice. */
export async function requireKnownVoice(engine: TtsEngine, voice: string): Promise<void> {
  if ((await engine.voices()).some((known) => known.id === voice)) return;
  const message = `"${voice}" is not a voice of this server (GET /api/tts/voices lists them)`;
  throw new Problem(400, 'validation_failed', `body.voice: ${message}`, { errors: [{ field: 'body.voice', rule: 'unknown_voice', message }] });
}

function toSettings(row: TtsSettingsRow): TtsSettings {
  return {
    enabled: row.enabled,
    minAmountCents: row.minAmountCents,
    voice: row.voice,
    speed: row.speed,
    pitch: row.pitch,
    maxChars: row.maxChars,
    maxSeconds: row.maxSeconds,
    filterWords: [...row.filterWords],
    filterMode: row.filterMode,
    perTipperPerMinute: row.perTipperPerMinute,
    readName: row.readName,
  };
}
