import { randomUUID } from 'node:crypto';
import type { Clock, EntityManager } from '@streaming-companion/sdk';
import { widgetEvents, type DisplayUnit, type TestAlert } from './contract.ts';
import type { CreatorOverlays } from './creator-overlays.ts';
import type { WidgetSettingsStore } from './widget-settings-store.ts';

export interface TestAlertInput {
  amountCents?: number;
  tipperName?: string | null;
  message?: string | null;
}

/** A sample amount: 100 tokens for a creator who counts in tokens, 5.00 in their currency otherwise. */
const SAMPLE_TOKENS = 100;
const SAMPLE_CENTS = 500;

/**
 * A sample tip played on the creator's overlays, to see an alert without paying for one: sent
 * to the sockets and stored nowhere, so no total, goal or report ever counts it.
 */
export class TestAlerts {
  readonly #settings: WidgetSettingsStore;
  readonly #overlays: CreatorOverlays;
  readonly #clock: Clock;

  constructor(settings: WidgetSettingsStore, overlays: CreatorOverlays, clock: Clock) {
    this.#settings = settings;
    this.#overlays = overlays;
    this.#clock = clock;
  }

  async send(em: EntityManager, creatorId: string, input: TestAlertInput): Promise<TestAlert> {
    const { display } = await this.#settings.get(em, creatorId);
    const amountCents = input.amountCents ?? (display.kind === 'tokens' ? SAMPLE_TOKENS * display.centsPerToken : SAMPLE_CENTS);
    const alert: TestAlert = {
      test: true,
      creatorId,
      tip: {
        id: randomUUID(),
        amountCents,
        ...inTokens(amountCents, display),
        tipperName: input.tipperName ?? 'Test tipper',
        message: input.message ?? 'This is a test alert',
        isAnonymous: false,
        createdAt: this.#clock.now().toISOString(),
      },
    };
    (await this.#overlays.of(em, creatorId)).emit(widgetEvents.socket.test_alert, alert);
    return alert;
  }
}

/** The amount in whole tokens, when the creator counts in tokens and it is a whole number of them. */
function inTokens(amountCents: number, display: DisplayUnit): { tokens: number | null; centsPerToken: number | null } {
  if (display.kind !== 'tokens' || amountCents % display.centsPerToken !== 0) return { tokens: null, centsPerToken: null };
  return { tokens: amountCents / display.centsPerToken, centsPerToken: display.centsPerToken };
}
