import type { Clock, EntityManager, PayloadOf } from '@streaming-companion/sdk';
import type { menuEvents } from '@streaming-companion/plugin-menu/contract';
import type { tipEvents, TipsService } from '@streaming-companion/plugin-tips/contract';
import type { TtsSettings, UtteranceSource } from './contract.ts';
import { UtteranceEntity } from './entities/utterance.ts';
import type { SessionMutes } from './session-mutes.ts';
import { fillTemplate } from './speech-text.ts';
import type { TtsSettingsStore } from './tts-settings-store.ts';

type TipReceived = PayloadOf<(typeof tipEvents)['domain']['streaming.tip.received']>;
type MenuItemPurchased = PayloadOf<(typeof menuEvents)['domain']['streaming.menu_item.purchased']>;

export interface SpeechAdmissionDependencies {
  settings: TtsSettingsStore;
  mutes: SessionMutes;
  tips: TipsService;
  clock: Clock;
}

/** What there is to say for a tip, before the rate limit and mute have their say. */
interface Candidate {
  sessionId: string;
  tipperName: string | null;
  line: string;
  /** Whether it counts against the tipper's limit per minute. */
  limited: boolean;
}

const RATE_WINDOW_MS = 60_000;

/**
 * Which tips are to be spoken. Each decision is written down (`tts_utterances`, one row per
 * tip and source) in the transaction that makes it, so a tip delivered twice is decided once:
 * answers true while the utterance waits to be spoken (enqueue its job, again if need be).
 */
export class SpeechAdmission {
  readonly #d: SpeechAdmissionDependencies;

  constructor(dependencies: SpeechAdmissionDependencies) {
    this.#d = dependencies;
  }

  /** A tip at or above the creator's minimum, with a message: "<name> says: <message>", or the message alone. */
  admitTip(em: EntityManager, { creatorId, sessionId, tipId, amountCents }: TipReceived): Promise<boolean> {
    return this.#admit(em, creatorId, tipId, 'message', async (tx, settings) => {
      if (amountCents < settings.minAmountCents) return null;
      const tip = await this.#d.tips.get(tx, creatorId, tipId);
      if (!tip?.message) return null;
      const line = settings.readName ? `${tip.tipperName ?? 'Anonymous'} says: ${tip.message}` : tip.message;
      return { sessionId, tipperName: tip.tipperName, line, limited: true };
    });
  }

  /**
   * A menu item bought whose item has a line to speak, filled in. The creator wrote it for that
   * item, so neither the minimum nor the tipper's limit applies.
   */
  admitMenuPurchase(em: EntityManager, purchase: MenuItemPurchased): Promise<boolean> {
    const { creatorId, sessionId, tipId, ttsTemplate, title, tipperName } = purchase;
    if (!ttsTemplate) return Promise.resolve(false);
    return this.#admit(em, creatorId, tipId, 'menu', async () => ({
      sessionId,
      tipperName,
      line: fillTemplate(ttsTemplate, { tipperName: tipperName ?? 'Someone', title }),
      limited: false,
    }));
  }

  async #admit(
    em: EntityManager,
    creatorId: string,
    tipId: string,
    source: UtteranceSource,
    candidate: (tx: EntityManager, settings: TtsSettings) => Promise<Candidate | null>,
  ): Promise<boolean> {
    return em.transactional(async (tx) => {
      const decided = await tx.findOne(UtteranceEntity, { tipId, source });
      if (decided) return decided.status === 'queued';
      const settings = await this.#d.settings.lockIfEnabled(tx, creatorId);
      if (!settings) return false;
      const said = await candidate(tx, settings);
      if (!said) return false;
      const tipperKey = (said.tipperName ?? '').toLowerCase();
      const now = this.#d.clock.now();
      const refusal = (await this.#d.mutes.isMuted(tx, said.sessionId))
        ? 'muted'
        : said.limited && (await this.#admittedRecently(tx, creatorId, tipperKey, now)) >= settings.perTipperPerMinute
          ? 'rate_limited'
          : null;
      tx.create(UtteranceEntity, {
        tipId,
        source,
        creatorId,
        sessionId: said.sessionId,
        tipperKey,
        line: said.line,
        status: refusal ? 'refused' : 'queued',
        reason: refusal,
        createdAt: now,
      });
      await tx.flush();
      return !refusal;
    });
  }

  /** The tipper's tips admitted in the last minute (refused ones do not count; filtered ones do). */
  #admittedRecently(em: EntityManager, creatorId: string, tipperKey: string, now: Date): Promise<number> {
    return em.count(UtteranceEntity, {
      creatorId,
      tipperKey,
      source: 'message',
      status: { $ne: 'refused' },
      createdAt: { $gt: new Date(now.getTime() - RATE_WINDOW_MS) },
    });
  }
}
