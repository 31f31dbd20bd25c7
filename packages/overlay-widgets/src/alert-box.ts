import type { WidgetKind } from '@streaming-companion/plugin-widgets/contract';
import { css, html, nothing, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { alertLook, fillTemplate, reachesMinimum, usesMessage, type AlertLook, type AlertTextPiece } from './alert-look.ts';
import { AlertQueue, DEFAULT_ALERT_TIMINGS, type Alert, type AlertState } from './alert-queue.ts';
import { displayMessage, displayName, formatTipAmount } from './format.ts';
import { audioDataUrl } from './media.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { numberOr, OverlayElement } from './overlay-element.ts';
import type { OverlayTip, ParticipantAudio, TestAlert } from './overlay-events.ts';
import { parseTiers, tierFor, withTierOptions, type Tier } from './tiers.ts';
import { mediaUrl } from './widget-settings.ts';

/** `detail` of `sc-alert-start` and `sc-alert-end`. */
export interface AlertEventDetail {
  tipId: string;
  /** The name as shown ("Anonymous" for anonymous tips). */
  tipperName: string;
  amountCents: number;
  /** True for a test alert from the dashboard. */
  test: boolean;
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

/** What an alert needs of a tip: a recorded one (`tip_received`) or a test alert's sample. */
export type AlertTip = Pick<OverlayTip, 'id' | 'amountCents' | 'tokens' | 'centsPerToken' | 'tipperName' | 'message' | 'isAnonymous'> & {
  /** A test alert: shown like a tip, marked `data-test`. */
  test?: boolean;
};

interface ShownAlert {
  tipId: string;
  name: string;
  amountCents: number;
  text: AlertTextPiece[];
  /** The message under the text, when the template does not show it itself. */
  message: string;
  look: AlertLook;
  image: string | undefined;
  tier: Tier | undefined;
  test: boolean;
  state: AlertState;
}

/**
 * `<sc-alert-box>`: one tip alert at a time from `tip_received` (and the dashboard's
 * `test_alert`), as the creator's alert settings have it: the text template, duration,
 * entrance, sound, image, and the variation the amount reaches; tips under the minimum show
 * no alert. A burst of tips plays in order, never overlapping. Plays the tip's TTS audio
 * (`chat_participant_audio`) and waits for it; `tts_control` skips the clip playing, or mutes
 * and unmutes speech.
 */
export class AlertBox extends OverlayElement {
  static override properties = {
    duration: { type: Number },
    tiers: { type: String },
  };

  /** How long an alert stays up, in ms; when given, it wins over the settings' durations. */
  declare duration: number | null;
  /** Tier spec, e.g. `100:small,1000:big,5000:huge` (minimum cents → name). */
  declare tiers: string | null;

  #current: ShownAlert | undefined;
  readonly #queue = new AlertQueue<AlertTip, ParticipantAudio>({
    state: (alert, state) => this.#onState(alert, state),
    end: (alert) => this.#onEnd(alert),
    playAudio: (alert, audio, done) => this.#playSpeech(alert.id, audio, done),
    // An explicit `duration` (a URL option) wins; otherwise the alert's look has its own.
    durationMs: (alert) => (this.#hasDuration() || this.#current?.tipId !== alert.id ? undefined : this.#current.look.durationMs),
  });

  constructor() {
    super();
    this.duration = null;
    this.tiers = null;
  }

  /** Queue a tip by hand (what `tip_received` does); answers false for a tip already queued or under the minimum. */
  showTip(tip: AlertTip): boolean {
    if (!tip || typeof tip.id !== 'string' || !reachesMinimum(this.widgetSettings('alerts'), tip.amountCents)) return false;
    return this.#queue.push(tip.id, { ...tip, test: false });
  }

  /** How many alerts wait behind the one on screen. */
  get waiting(): number {
    return this.#queue.waiting;
  }

  protected override widgetKind(): WidgetKind {
    return 'alerts';
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [
      connection.on('tip_received', (payload) => {
        if (payload.tip) this.showTip(payload.tip);
      }),
      connection.on('test_alert', (payload) => this.#showTest(payload)),
      connection.on('chat_participant_audio', (payload) => {
        if (typeof payload.tipId === 'string') this.#queue.audio(payload.tipId, payload, payload.source);
      }),
      connection.on('tts_control', ({ action }) => {
        if (action === 'skip') this.#queue.skipAudio();
        else if (action === 'mute' || action === 'unmute') this.#queue.setMuted(action === 'mute');
      }),
    ];
  }

  /** A test alert is what the creator asked to see: it plays whatever the minimum. */
  #showTest(payload: TestAlert): void {
    const tip = payload.tip;
    if (payload.test !== true || !tip || typeof tip.id !== 'string' || !Number.isFinite(tip.amountCents)) return;
    this.#queue.push(tip.id, { ...tip, test: true });
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

  #hasDuration(): boolean {
    return typeof this.duration === 'number' && Number.isFinite(this.duration);
  }

  /** A TTS clip, announced as it starts and ends (`sc-tts-start`, `sc-tts-end`) so the page can duck its music, say. */
  #playSpeech(tipId: string, audio: ParticipantAudio, done: () => void): () => void {
    const detail: TtsEventDetail = { tipId, source: audio.source, durationMs: audio.durationMs };
    this.fire('sc-tts-start', detail);
    return playClip(audioDataUrl(audio.format, audio.audioBase64), 1, (outcome) => {
      this.fire('sc-tts-end', { ...detail, outcome });
      done();
    });
  }

  #onState(alert: Alert<AlertTip>, state: AlertState): void {
    if (state === 'entering') {
      this.#current = this.#shown(alert.data);
      const { tier, look } = this.#current;
      // A URL tier's sound wins over the settings' (an explicit option); either plays as the alert starts.
      if (tier?.sound) playClip(tier.sound, 1, () => {});
      else playClip(mediaUrl(this.settings, look.soundId, this.serverBase), look.volume / 100, () => {});
      if (tier?.animation) this.fire('sc-animation-request', { type: tier.animation });
      const detail = this.#detail(this.#current);
      this.dataset.tier = tier?.name ?? 'default';
      this.toggleAttribute('data-test', this.#current.test);
      this.#setState(state);
      void this.updateComplete.then(() => this.fire('sc-alert-start', detail));
      return;
    }
    if (this.#current) this.#current = { ...this.#current, state };
    this.#setState(state);
  }

  /** Everything the alert shows, fixed as it enters (settings changed later apply to the next one). */
  #shown(tip: AlertTip): ShownAlert {
    const tiers = withTierOptions(parseTiers(this.tiers), (name) => this.getAttribute(name), globalThis.location?.href);
    const look = alertLook(this.widgetSettings('alerts'), tip.amountCents);
    const name = displayName(tip);
    const message = displayMessage(tip);
    return {
      tipId: tip.id,
      name,
      amountCents: tip.amountCents,
      text: fillTemplate(look.template, { name, amount: formatTipAmount(tip, this.amountFormat()), message }),
      message: usesMessage(look.template) ? '' : message,
      look,
      image: mediaUrl(this.settings, look.imageId, this.serverBase),
      tier: tierFor(tip.amountCents, tiers),
      test: tip.test === true,
      state: 'entering',
    };
  }

  #onEnd(alert: Alert<AlertTip>): void {
    const shown = this.#current?.tipId === alert.id ? this.#current : undefined;
    this.#current = undefined;
    delete this.dataset.tier;
    this.removeAttribute('data-test');
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
    return { tipId: shown.tipId, tipperName: shown.name, amountCents: shown.amountCents, test: shown.test };
  }

  override render(): unknown {
    const shown = this.#current;
    if (!shown) return nothing;
    const tier = shown.tier?.name ?? 'default';
    const { look } = shown;
    // A variation's colours, hex only (checked when the settings were read).
    const colours: Record<string, string> = {};
    if (look.textColor) colours['--sc-text-color'] = look.textColor;
    if (look.accentColor) colours['--sc-accent'] = colours['--sc-amount-color'] = look.accentColor;
    return html`<div
      part="alert"
      class="alert tier-${tier}"
      data-state=${shown.state}
      data-tier=${tier}
      data-animation=${look.animation}
      data-variation=${look.variation ?? nothing}
      ?data-test=${shown.test}
      role="status"
      style=${styleMap(colours)}
    >
      ${shown.image ? html`<img part="image" class="image" src=${shown.image} alt="" />` : nothing}
      <div part="text" class="text">${shown.text.map((piece) => (piece.kind === 'text' ? piece.text : html`<span part=${piece.kind} class=${piece.kind}>${piece.text}</span>`))}</div>
      ${shown.message ? html`<div part="message" class="message">${shown.message}</div>` : nothing}
    </div>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      width: var(--sc-alert-width, var(--sc-width, 900px));
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
      gap: 0.33em;
      padding: 28px 40px;
      border-radius: 24px;
      font-size: var(--sc-font-size, 24px);
      color: var(--sc-text-color, #fff);
      background: var(--sc-alert-background, var(--sc-background, linear-gradient(135deg, rgba(40, 16, 64, 0.92), rgba(120, 24, 88, 0.92))));
      border: 3px solid var(--sc-accent, #ff4d8d);
      box-shadow: 0 10px 40px rgba(0, 0, 0, 0.45);
      text-align: center;
      text-shadow: 0 2px 6px rgba(0, 0, 0, 0.6);
      animation: sc-alert-pop-in 600ms cubic-bezier(0.2, 1.4, 0.4, 1) both;
    }
    .alert[data-state='leaving'] {
      animation: sc-alert-pop-out 600ms ease-in both;
    }
    .alert[data-animation='fade'] {
      animation: sc-alert-fade 600ms ease-out both;
    }
    .alert[data-animation='fade'][data-state='leaving'] {
      animation: sc-alert-fade 600ms ease-in reverse both;
    }
    .alert[data-animation='slide'] {
      animation: sc-alert-slide-in 600ms cubic-bezier(0.2, 1, 0.3, 1) both;
    }
    .alert[data-animation='slide'][data-state='leaving'] {
      animation: sc-alert-slide-out 600ms ease-in both;
    }
    .alert[data-animation='none'] {
      animation: none;
    }
    .alert[data-animation='none'][data-state='leaving'] {
      visibility: hidden;
    }
    .image {
      display: block;
      max-width: 100%;
      max-height: var(--sc-alert-image-height, 240px);
      object-fit: contain;
    }
    .text,
    .message {
      max-width: 100%;
      overflow: hidden;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      line-height: 1.2;
    }
    .text {
      font-size: 2em;
      font-weight: 700;
      -webkit-line-clamp: 3;
      line-clamp: 3;
    }
    .amount {
      font-weight: 800;
      color: var(--sc-amount-color, #ffd23f);
      white-space: nowrap;
    }
    .message {
      font-size: 1.333em;
      line-height: 1.25;
      white-space: pre-line;
      -webkit-line-clamp: 3;
      line-clamp: 3;
    }
    .text .message {
      display: inline;
      font-size: 0.667em;
      white-space: normal;
    }
    @keyframes sc-alert-pop-in {
      from {
        opacity: 0;
        transform: translateY(-40px) scale(0.85);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
    @keyframes sc-alert-pop-out {
      from {
        opacity: 1;
        transform: none;
      }
      to {
        opacity: 0;
        transform: translateY(30px) scale(0.95);
      }
    }
    @keyframes sc-alert-fade {
      from {
        opacity: 0;
      }
      to {
        opacity: 1;
      }
    }
    @keyframes sc-alert-slide-in {
      from {
        opacity: 0;
        transform: translateX(-60%);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
    @keyframes sc-alert-slide-out {
      from {
        opacity: 1;
        transform: none;
      }
      to {
        opacity: 0;
        transform: translateX(60%);
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

/** Play an audio URL at `volume` (0–1); `done` is called once, with how it finished. Answers a function that stops it. */
function playClip(src: string | undefined, volume: number, done: (outcome: ClipOutcome) => void): () => void {
  if (!src || typeof Audio === 'undefined') {
    done('failed');
    return () => {};
  }
  const audio = new Audio(src);
  audio.volume = Math.min(1, Math.max(0, volume));
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
