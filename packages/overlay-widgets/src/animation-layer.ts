import { css, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { httpUrl, mediaKind } from './media.ts';
import type { OverlayConnection } from './overlay-connection.ts';
import { OverlayElement } from './overlay-element.ts';
import type { AnimationType } from './overlay-events.ts';
import { ParticleField, type Particle, type ParticleEffect } from './particles.ts';

/** The page-level event any script (and `<sc-alert-box>` tiers) dispatches to request an animation. */
export const ANIMATION_REQUEST_EVENT = 'sc-animation-request';

export const CUSTOM_DEFAULT_MS = 6000;
export const CUSTOM_MAX_MS = 60_000;

const EFFECTS: Record<Exclude<AnimationType, 'custom'>, ParticleEffect> = { confetti: 'confetti', hearts: 'hearts', rain: 'rain' };

interface CustomMedia {
  url: string;
  kind: 'image' | 'video';
  id: number;
}

/**
 * `<sc-animation-layer>`: a full-screen canvas with confetti, hearts and token rain on
 * `animation_trigger`; `custom` shows the image or video at `metadata.url`. Draws only while
 * something moves. `source` picks what it reacts to: `all` (default), `server` (only
 * `animation_trigger`) or `local` (only `sc-animation-request` events on the page).
 */
export class AnimationLayer extends OverlayElement {
  static override properties = {
    source: { type: String },
  };

  declare source: string | null;

  readonly #field = new ParticleField();
  #canvas: HTMLCanvasElement | undefined;
  #context: CanvasRenderingContext2D | null = null;
  #frame: number | undefined;
  #lastTime: number | undefined;
  #size = { width: 0, height: 0 };
  #custom: CustomMedia | undefined;
  #customTimer: ReturnType<typeof setTimeout> | undefined;
  #customCount = 0;
  #listeningToPage = false;

  constructor() {
    super();
    this.source = null;
  }

  /**
   * Play an animation now, as `animation_trigger` would. `metadata.intensity` (1–10, default 3)
   * sizes a particle burst; `metadata.merged` (how many triggers the server merged into this
   * one) is already counted in the intensity and only passed on in `sc-animation-start`.
   * Answers whether anything started.
   */
  trigger(type: AnimationType | string, metadata?: Record<string, unknown>): boolean {
    if (type === 'custom') return this.#showCustom(metadata);
    // Own keys only: a type like `toString` is not an effect.
    const effect = Object.hasOwn(EFFECTS, type) ? EFFECTS[type as keyof typeof EFFECTS] : undefined;
    if (!effect) return false;
    this.#measure();
    this.#field.burst(effect, this.#size.width, this.#size.height, metadata?.intensity);
    if (!this.#field.idle) this.#start();
    this.fire('sc-animation-start', startDetail(type, metadata));
    return true;
  }

  protected override wantsConnection(): boolean {
    return this.#mode() !== 'local';
  }

  protected override listen(connection: OverlayConnection): Array<() => void> {
    return [connection.on('animation_trigger', (p) => void this.trigger(p.type, isRecord(p.metadata) ? p.metadata : undefined))];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listenToPage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listenToPage(false);
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    this.#lastTime = undefined;
    this.#field.clear();
    this.#endCustom();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('source')) {
      this.syncConnection();
      this.#listenToPage();
    }
  }

  protected override firstUpdated(): void {
    this.#canvas = this.renderRoot.querySelector('canvas') ?? undefined;
    this.#context = this.#canvas?.getContext('2d') ?? null;
  }

  protected override updated(): void {
    const video = this.renderRoot.querySelector('video');
    if (video && video.paused && !video.dataset.started) {
      video.dataset.started = '1';
      // Sound where the browser allows it (OBS does), muted where it does not.
      video.play().catch(() => {
        video.muted = true;
        video.play().catch(() => this.#endCustom());
      });
    }
  }

  #mode(): 'all' | 'server' | 'local' {
    const source = this.source?.trim().toLowerCase();
    return source === 'server' || source === 'local' ? source : 'all';
  }

  #onRequest = (event: Event): void => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (!isRecord(detail) || typeof detail.type !== 'string') return;
    this.trigger(detail.type, isRecord(detail.metadata) ? detail.metadata : undefined);
  };

  #listenToPage(wanted = this.isConnected && this.#mode() !== 'server'): void {
    if (wanted === this.#listeningToPage) return;
    this.#listeningToPage = wanted;
    if (wanted) window.addEventListener(ANIMATION_REQUEST_EVENT, this.#onRequest);
    else window.removeEventListener(ANIMATION_REQUEST_EVENT, this.#onRequest);
  }

  #showCustom(metadata: Record<string, unknown> | undefined): boolean {
    const url = httpUrl(metadata?.url);
    if (!url) return false;
    this.#endCustom();
    this.#custom = { url, kind: mediaKind(url, metadata?.mediaType), id: ++this.#customCount };
    const wanted = typeof metadata?.durationMs === 'number' && Number.isFinite(metadata.durationMs) ? metadata.durationMs : CUSTOM_DEFAULT_MS;
    this.#customTimer = setTimeout(() => this.#endCustom(), Math.min(CUSTOM_MAX_MS, Math.max(500, wanted)));
    this.requestUpdate();
    this.fire('sc-animation-start', startDetail('custom', metadata));
    return true;
  }

  #endCustom = (): void => {
    if (this.#customTimer !== undefined) clearTimeout(this.#customTimer);
    this.#customTimer = undefined;
    if (!this.#custom) return;
    this.#custom = undefined;
    this.requestUpdate();
  };

  #measure(): void {
    const width = this.clientWidth || window.innerWidth || 1920;
    const height = this.clientHeight || window.innerHeight || 1080;
    const canvas = this.#canvas;
    if (!canvas || !this.#context) {
      this.#size = { width, height };
      return;
    }
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    this.#context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.#size = { width, height };
  }

  #start(): void {
    if (this.#frame !== undefined) return;
    if (!this.#context || !this.isConnected) {
      // Triggered before the first render: start once the canvas exists.
      if (this.isConnected && !this.hasUpdated) {
        void this.updateComplete.then(() => {
          if (!this.#context) return this.#field.clear();
          this.#measure();
          this.#start();
        });
      } else this.#field.clear();
      return;
    }
    this.#lastTime = undefined;
    this.#frame = requestAnimationFrame(this.#tick);
  }

  #tick = (now: number): void => {
    const dt = this.#lastTime === undefined ? 16 : now - this.#lastTime;
    this.#lastTime = now;
    const { width, height } = this.#size;
    this.#field.step(dt, width, height);
    const ctx = this.#context!;
    ctx.clearRect(0, 0, width, height);
    if (this.#field.idle) {
      // Nothing moves: stop asking for frames until the next trigger.
      this.#frame = undefined;
      this.#lastTime = undefined;
      return;
    }
    for (const p of this.#field.particles) drawParticle(ctx, p);
    ctx.globalAlpha = 1;
    this.#frame = requestAnimationFrame(this.#tick);
  };

  override render(): unknown {
    const custom = this.#custom;
    return html`<canvas part="canvas"></canvas>${custom
        ? keyed(
            custom.id,
            custom.kind === 'video'
              ? html`<video part="media" class="media" src=${custom.url} playsinline @ended=${this.#endCustom} @error=${this.#endCustom}></video>`
              : html`<img part="media" class="media" src=${custom.url} alt="" @error=${this.#endCustom} />`,
          )
        : nothing}`;
  }

  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      display: block;
      pointer-events: none;
      overflow: hidden;
      z-index: var(--sc-animation-z-index, 10);
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    .media {
      position: absolute;
      left: 50%;
      top: 50%;
      max-width: var(--sc-media-max-width, 60%);
      max-height: var(--sc-media-max-height, 60%);
      transform: translate(-50%, -50%);
      animation: sc-media-in 400ms ease-out both;
    }
    @keyframes sc-media-in {
      from {
        opacity: 0;
        transform: translate(-50%, -50%) scale(0.8);
      }
      to {
        opacity: 1;
        transform: translate(-50%, -50%);
      }
    }
  `;
}

function drawParticle(ctx: CanvasRenderingContext2D, p: Particle): void {
  const alpha = ParticleField.alpha(p);
  if (alpha <= 0) return;
  ctx.globalAlpha = alpha;
  ctx.fillStyle = p.color;
  ctx.save();
  ctx.translate(p.x, p.y);
  ctx.rotate(p.shape === 'coin' ? 0 : p.rotation);
  const s = p.size;
  if (p.shape === 'confetti') {
    // A paper strip that flutters: its height follows a turning angle.
    ctx.scale(1, Math.cos(p.age * 6 + p.phase));
    ctx.fillRect(-s / 2, -s / 4, s, s / 2);
  } else if (p.shape === 'heart') {
    const h = s / 2;
    ctx.beginPath();
    ctx.moveTo(0, h * 0.7);
    ctx.bezierCurveTo(-h * 1.3, -h * 0.1, -h * 0.65, -h * 1.1, 0, -h * 0.45);
    ctx.bezierCurveTo(h * 0.65, -h * 1.1, h * 1.3, -h * 0.1, 0, h * 0.7);
    ctx.fill();
  } else {
    // A spinning token: an ellipse that narrows and widens, with a rim.
    const rx = Math.max(0.12, Math.abs(Math.cos(p.rotation))) * (s / 2);
    ctx.beginPath();
    ctx.ellipse(0, 0, rx, s / 2, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#b8860b';
    ctx.stroke();
    ctx.beginPath();
    ctx.ellipse(0, 0, rx * 0.6, s * 0.3, 0, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.restore();
}

/** `sc-animation-start`'s detail: the type, and the intensity and merge count when the trigger had them. */
function startDetail(type: string, metadata: Record<string, unknown> | undefined): { type: string; intensity?: number; merged?: number } {
  const detail: { type: string; intensity?: number; merged?: number } = { type };
  const { intensity, merged } = metadata ?? {};
  if (typeof intensity === 'number' && Number.isFinite(intensity)) detail.intensity = intensity;
  if (typeof merged === 'number' && Number.isFinite(merged)) detail.merged = merged;
  return detail;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
