import { css, html, nothing, type PropertyValues } from 'lit';
import { AlertQueue, DEFAULT_ALERT_TIMINGS, type Alert, type AlertState } from './alert-queue.ts';
import { displayMessage, displayName, formatTipAmount } from './format.ts';
import { audioDataUrl } from './media.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';
import type { OverlayTip, ParticipantAudio } from './overlay-events.ts';
import { parseTiers, tierFor, withTierOptions, type Tier } from './tiers.ts';

/** `detail` of `sc-alert-start` and `sc-alert-end`. */
export interface AlertEventDetail {
  tipId: string;
  /** The name as shown ("Anonymous" for anonymous tips). */
  tipperName: string;
  amountCents: number;
}

/** How a clip finished: played to its end, could not play, or stopped (skipped, muted, or past the cap). */
export type ClipOutcome = 'ended' | 'failed' | 'stopped';

/** `detail` of `sc-tts-start` and `sc-tts-end` (which adds `outcome`). */
export interface TtsEventDetail {
  tipId: string;
  /** `message` (the tip's) or `menu` (the line of the menu item it bought). */
  source: string;
  durationMs: number;
  outcome?: ClipOutcome;
}

interface ShownAlert {
  tipId: string;
  name: string;
  amount: string;
  message: string;
  amountCents: number;
  tier: Tier | undefined;
  state: AlertState;
}

/**
 * `<sc-alert-box>`: one tip alert at a time from `tip_received` (name, amount, message), with
 * an entrance and an exit animation. A burst of tips plays in order, never overlapping. Plays
 * the tip's TTS audio (`chat_participant_audio`) and waits for it; `tts_control` skips the
 * clip playing, or mutes and unmutes speech.
 */
export class AlertBox extends OverlayElement {
  static override properties = {
    duration: { type: Number },
    tiers: { type: String },
    currency: { type: String },
    locale: { type: String },
  };

  /** How long an alert stays up, in ms (default 5000). */
  declare duration: number | null;
  /** Tier spec, e.g. `100:small,1000:big,5000:huge` (minimum cents → name). */
  declare tiers: string | null;
  /** ISO currency for tips without tokens (default USD). */
  declare currency: string | null;
  /** Number locale (default en-US). */
  declare locale: string | null;

  #current: ShownAlert | undefined;
  readonly #queue = new AlertQueue<OverlayTip, ParticipantAudio>({
    state: (alert, state) => this.#onState(alert, state),
    end: (alert) => this.#onEnd(alert),
    playAudio: (alert, audio, done) => this.#playSpeech(alert.id, audio, done),
  });

  constructor() {
    super();
    this.duration = null;
    this.tiers = null;
    this.currency = null;
    this.locale = null;
  }

  /** Queue a tip by hand (what `tip_received` does); answers false for a tip already queued. */
  showTip(tip: OverlayTip): boolean {
    if (!tip || typeof tip.id !== 'string') return false;
    return this.#queue.push(tip.id, tip);
  }

  /** How many alerts wait behind the one on screen. */
  get waiting(): number {
    return this.#queue.waiting;
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [
      connection.on('tip_received', (payload) => {
        if (payload.tip) this.showTip(payload.tip);
      }),
      connection.on('chat_participant_audio', (payload) => {
        if (typeof payload.tipId === 'string') this.#queue.audio(payload.tipId, payload, payload.source);
      }),
      connection.on('tts_control', ({ action }) => {
        if (action === 'skip') this.#queue.skipAudio();
        else if (action === 'mute' || action === 'unmute') this.#queue.setMuted(action === 'mute');
      }),
    ];
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('duration')) this.#queue.setTimings({ durationMs: numberOr(this.duration, DEFAULT_ALERT_TIMINGS.durationMs) });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#queue.clear();
    this.#current = undefined;
  }

  /** A TTS clip, announced as it starts and ends (`sc-tts-start`, `sc-tts-end`) so the page can duck its music, say. */
  #playSpeech(tipId: string, audio: ParticipantAudio, done: () => void): () => void {
    const detail: TtsEventDetail = { tipId, source: audio.source, durationMs: audio.durationMs };
    this.fire('sc-tts-start', detail);
    return playClip(audioDataUrl(audio.format, audio.audioBase64), (outcome) => {
      this.fire('sc-tts-end', { ...detail, outcome });
      done();
    });
  }

  #onState(alert: Alert<OverlayTip>, state: AlertState): void {
    if (state === 'entering') {
      const tip = alert.data;
      const tiers = withTierOptions(parseTiers(this.tiers), (name) => this.getAttribute(name), globalThis.location?.href);
      const tier = tierFor(tip.amountCents, tiers);
      this.#current = {
        tipId: tip.id,
        name: displayName(tip),
        amount: formatTipAmount(tip, { currency: this.currency ?? undefined, locale: this.locale ?? undefined }),
        message: displayMessage(tip),
        amountCents: tip.amountCents,
        tier,
        state,
      };
      if (tier?.sound) playClip(tier.sound, () => {});
      if (tier?.animation) this.fire('sc-animation-request', { type: tier.animation });
      const detail = this.#detail(this.#current);
      this.dataset.tier = tier?.name ?? 'default';
      this.#setState(state);
      void this.updateComplete.then(() => this.fire('sc-alert-start', detail));
      return;
    }
    if (this.#current) this.#current = { ...this.#current, state };
    this.#setState(state);
  }

  #onEnd(alert: Alert<OverlayTip>): void {
    const shown = this.#current?.tipId === alert.id ? this.#current : undefined;
    this.#current = undefined;
    delete this.dataset.tier;
    this.#setState('idle');
    if (shown) {
      const detail = this.#detail(shown);
      void this.updateComplete.then(() => this.fire('sc-alert-end', detail));
    }
  }

  #setState(state: AlertState | 'idle'): void {
    this.dataset.state = state;
    this.requestUpdate();
  }

  #detail(shown: ShownAlert): AlertEventDetail {
    return { tipId: shown.tipId, tipperName: shown.name, amountCents: shown.amountCents };
  }

  override render(): unknown {
    const shown = this.#current;
    if (!shown) return nothing;
    const tier = shown.tier?.name ?? 'default';
    return html`<div part="alert" class="alert tier-${tier}" data-state=${shown.state} data-tier=${tier} role="status">
      <div part="name" class="name">${shown.name}</div>
      <div part="amount" class="amount">${shown.amount}</div>
      ${shown.message ? html`<div part="message" class="message">${shown.message}</div>` : nothing}
    </div>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      width: var(--sc-alert-width, 900px);
      max-width: 100%;
      font-family: var(--sc-font-family, 'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif);
      color: var(--sc-text-color, #fff);
      pointer-events: none;
    }
    .alert {
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      padding: 28px 40px;
      border-radius: 24px;
      background: var(--sc-alert-background, linear-gradient(135deg, rgba(40, 16, 64, 0.92), rgba(120, 24, 88, 0.92)));
      border: 3px solid var(--sc-accent, #ff4d8d);
      box-shadow: 0 10px 40px rgba(0, 0, 0, 0.45);
      text-align: center;
      text-shadow: 0 2px 6px rgba(0, 0, 0, 0.6);
      animation: sc-alert-in 600ms cubic-bezier(0.2, 1.4, 0.4, 1) both;
    }
    .alert[data-state='leaving'] {
      animation: sc-alert-out 600ms ease-in both;
    }
    .name,
    .amount,
    .message {
      max-width: 100%;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .name {
      font-size: 48px;
      font-weight: 700;
      white-space: nowrap;
    }
    .amount {
      font-size: 64px;
      font-weight: 800;
      color: var(--sc-amount-color, #ffd23f);
      white-space: nowrap;
    }
    .message {
      font-size: 32px;
      line-height: 1.25;
      white-space: pre-line;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
      line-clamp: 3;
    }
    @keyframes sc-alert-in {
      from {
        opacity: 0;
        transform: translateY(-40px) scale(0.85);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
    @keyframes sc-alert-out {
      from {
        opacity: 1;
        transform: none;
      }
      to {
        opacity: 0;
        transform: translateY(30px) scale(0.95);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .alert,
      .alert[data-state='leaving'] {
        animation-duration: 1ms;
      }
    }
  `;
}

/** Play an audio URL; `done` is called once, with how it finished. Answers a function that stops it. */
function playClip(src: string | undefined, done: (outcome: ClipOutcome) => void): () => void {
  if (!src || typeof Audio === 'undefined') {
    done('failed');
    return () => {};
  }
  const audio = new Audio(src);
  let finished = false;
  const finish = (outcome: ClipOutcome): void => {
    if (finished) return;
    finished = true;
    done(outcome);
  };
  audio.addEventListener('ended', () => finish('ended'), { once: true });
  audio.addEventListener('error', () => finish('failed'), { once: true });
  audio.play().catch(() => finish('failed'));
  return () => {
    audio.pause();
    finish('stopped');
  };
}
