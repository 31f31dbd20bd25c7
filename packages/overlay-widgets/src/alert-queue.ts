import { realTimers, type Timers } from './timers.ts';

/**
 * Alerts one after another: a burst of tips plays in arrival order, none dropped, never two
 * on screen at once. Each alert enters, shows for its duration, leaves, and only then does
 * the next one start. An alert whose TTS clips arrive (before it starts or while it shows)
 * plays them one after another and does not leave before they have finished, each up to a
 * cap. The creator can skip the clips of the alert on screen, or mute speech altogether.
 */

export type AlertState = 'entering' | 'showing' | 'leaving';

export interface AlertTimings {
  /** From the start of the entrance until the alert starts leaving (unless its audio is still playing). */
  durationMs: number;
  /** Length of the entrance animation (state `entering`, then `showing`). */
  enterMs: number;
  /** Length of the exit animation (state `leaving`); the alert ends after it. */
  leaveMs: number;
  /** Pause between the end of one alert and the start of the next. */
  gapMs: number;
  /** The longest an alert waits for one clip, counted from when the clip started. */
  maxAudioMs: number;
}

export const DEFAULT_ALERT_TIMINGS: AlertTimings = {
  durationMs: 5000,
  enterMs: 600,
  leaveMs: 600,
  gapMs: 250,
  maxAudioMs: 30_000,
};

/** Durations outside this range are clamped: an alert is at least visible, and never stuck. */
export const MIN_DURATION_MS = 500;
export const MAX_DURATION_MS = 60_000;

export interface Alert<T> {
  id: string;
  data: T;
}

export interface AlertQueueHooks<T, A> {
  /** The shown alert changed state; `entering` means it just started. */
  state(alert: Alert<T>, state: AlertState): void;
  /** The alert has left the screen; nothing is shown until the next one enters. */
  end(alert: Alert<T>): void;
  /** Play the alert's audio and call `done` when it finished or failed; answer a function that stops it. */
  playAudio?(alert: Alert<T>, audio: A, done: () => void): () => void;
  /** This alert's own duration (asked as it enters, after `state`); undefined for the queue's. */
  durationMs?(alert: Alert<T>): number | undefined;
}

export interface AlertQueueOptions {
  timings?: Partial<AlertTimings>;
  timers?: Timers;
  /** How many alert ids are remembered to drop duplicates (a redelivered tip). */
  rememberIds?: number;
  /** For how many not-yet-shown alerts audio clips are kept. */
  maxPendingAudio?: number;
}

interface Clip<A> {
  /** Tells an alert's clips apart (a message and a menu line); a key seen before is dropped. */
  key: string;
  audio: A;
}

interface Playing {
  stop(): void;
  /** The clip is over: on to the next one, or let the alert leave. */
  done(): void;
}

interface Showing<T, A> {
  alert: Alert<T>;
  state: AlertState;
  durationOver: boolean;
  /** Clips waiting their turn, in arrival order. */
  clips: A[];
  /** Keys of every clip this alert has had. */
  clipKeys: Set<string>;
  playing: Playing | undefined;
  /** Its speech was skipped (or muted): clips that arrive later are dropped too. */
  silenced: boolean;
  timers: unknown[];
}

export class AlertQueue<T, A = unknown> {
  readonly #hooks: AlertQueueHooks<T, A>;
  readonly #timers: Timers;
  readonly #rememberIds: number;
  readonly #maxPendingAudio: number;
  #timings: AlertTimings;
  readonly #waiting: Alert<T>[] = [];
  readonly #seen = new Set<string>();
  readonly #pendingAudio = new Map<string, Clip<A>[]>();
  #showing: Showing<T, A> | undefined;
  #gapTimer: unknown;
  #muted = false;

  constructor(hooks: AlertQueueHooks<T, A>, options: AlertQueueOptions = {}) {
    this.#hooks = hooks;
    this.#timers = options.timers ?? realTimers;
    this.#rememberIds = options.rememberIds ?? 500;
    this.#maxPendingAudio = options.maxPendingAudio ?? 20;
    this.#timings = normalizeTimings({ ...DEFAULT_ALERT_TIMINGS, ...options.timings });
  }

  get timings(): Readonly<AlertTimings> {
    return this.#timings;
  }

  /** Change timings; the alert on screen keeps the ones it started with. */
  setTimings(timings: Partial<AlertTimings>): void {
    this.#timings = normalizeTimings({ ...this.#timings, ...timings });
  }

  /** The alert on screen and its state, if any. */
  get current(): { alert: Alert<T>; state: AlertState } | undefined {
    return this.#showing && { alert: this.#showing.alert, state: this.#showing.state };
  }

  /** How many alerts wait behind the one on screen. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Queue an alert; answers false (and ignores it) when this id was queued before. */
  push(id: string, data: T): boolean {
    if (this.#seen.has(id)) return false;
    this.#remember(id);
    this.#waiting.push({ id, data });
    if (!this.#showing && this.#gapTimer === undefined) this.#next();
    return true;
  }

  /** Whether speech is muted: no clip plays until `setMuted(false)`. */
  get muted(): boolean {
    return this.#muted;
  }

  /**
   * Clip `key` (default: the alert id) for alert `id`: played now if the alert is on screen
   * (after its earlier clips), kept if the alert is still to come, dropped if it is over, if
   * this key came before, or while muted.
   */
  audio(id: string, audio: A, key: string = id): void {
    if (this.#muted) return;
    const showing = this.#showing;
    if (showing && showing.alert.id === id) {
      if (showing.state === 'leaving' || showing.silenced || showing.clipKeys.has(key)) return;
      showing.clipKeys.add(key);
      showing.clips.push(audio);
      if (!showing.playing) this.#playNext(showing);
      return;
    }
    if (this.#seen.has(id) && !this.#waiting.some((a) => a.id === id)) return;
    const clips = this.#pendingAudio.get(id) ?? [];
    if (clips.some((clip) => clip.key === key)) return;
    this.#pendingAudio.delete(id);
    this.#pendingAudio.set(id, [...clips, { key, audio }]);
    while (this.#pendingAudio.size > this.#maxPendingAudio) this.#pendingAudio.delete(this.#pendingAudio.keys().next().value!);
  }

  /** Stop the clip playing and drop the rest of this alert's clips; the alert carries on without them. */
  skipAudio(): void {
    const showing = this.#showing;
    if (!showing) return;
    showing.silenced = true;
    showing.clips.length = 0;
    const playing = showing.playing;
    if (playing) {
      playing.stop();
      playing.done();
    }
  }

  /** Mute: stop the clip playing and drop every clip kept, until unmuted. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    if (!muted) return;
    this.skipAudio();
    this.#pendingAudio.clear();
  }

  /** Drop everything: the alert on screen ends without its exit, the queue empties. */
  clear(): void {
    if (this.#showing) {
      this.#showing.playing?.stop();
      for (const t of this.#showing.timers) this.#timers.clearTimeout(t);
      this.#showing = undefined;
    }
    if (this.#gapTimer !== undefined) this.#timers.clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
    this.#waiting.length = 0;
    this.#pendingAudio.clear();
  }

  #next(): void {
    this.#gapTimer = undefined;
    const alert = this.#waiting.shift();
    if (!alert) return;
    const timings = this.#timings;
    const pending = this.#pendingAudio.get(alert.id) ?? [];
    this.#pendingAudio.delete(alert.id);
    const showing: Showing<T, A> = {
      alert,
      state: 'entering',
      durationOver: false,
      clips: pending.map((clip) => clip.audio),
      clipKeys: new Set(pending.map((clip) => clip.key)),
      playing: undefined,
      silenced: false,
      timers: [],
    };
    this.#showing = showing;
    this.#hooks.state(alert, 'entering');
    if (this.#showing !== showing) return;
    const own = this.#hooks.durationMs?.(alert);
    const durationMs = own === undefined ? timings.durationMs : clampDuration(own);
    showing.timers.push(
      this.#timers.setTimeout(() => {
        if (showing.state !== 'entering') return;
        showing.state = 'showing';
        this.#hooks.state(alert, 'showing');
      }, timings.enterMs),
      this.#timers.setTimeout(() => {
        showing.durationOver = true;
        this.#leaveWhenDone(showing);
      }, durationMs),
    );
    if (showing.clips.length) this.#playNext(showing);
  }

  /** Play the alert's next clip, each capped at `maxAudioMs`; with none left, let it leave when its time is up. */
  #playNext(showing: Showing<T, A>): void {
    const play = this.#hooks.playAudio;
    const audio = showing.clips.shift();
    if (!play || audio === undefined) {
      showing.clips.length = 0;
      showing.playing = undefined;
      this.#leaveWhenDone(showing);
      return;
    }
    let finished = false;
    const playing: Playing = {
      stop: () => {},
      done: () => {
        if (finished) return;
        finished = true;
        this.#timers.clearTimeout(cap);
        if (this.#showing === showing && showing.playing === playing) this.#playNext(showing);
      },
    };
    showing.playing = playing;
    const cap = this.#timers.setTimeout(() => {
      playing.stop();
      playing.done();
    }, this.#timings.maxAudioMs);
    showing.timers.push(cap);
    try {
      playing.stop = play(showing.alert, audio, playing.done);
    } catch {
      playing.done();
    }
  }

  #leaveWhenDone(showing: Showing<T, A>): void {
    if (this.#showing !== showing || showing.state === 'leaving') return;
    if (!showing.durationOver || showing.playing) return;
    showing.state = 'leaving';
    this.#hooks.state(showing.alert, 'leaving');
    showing.timers.push(
      this.#timers.setTimeout(() => {
        if (this.#showing !== showing) return;
        for (const t of showing.timers) this.#timers.clearTimeout(t);
        this.#showing = undefined;
        this.#gapTimer = this.#timers.setTimeout(() => this.#next(), this.#timings.gapMs);
        this.#hooks.end(showing.alert);
      }, this.#timings.leaveMs),
    );
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > this.#rememberIds) this.#seen.delete(this.#seen.values().next().value!);
  }
}

const ms = (value: number, fallback: number, min: number, max: number): number => (Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback);

function clampDuration(value: number): number {
  return ms(value, DEFAULT_ALERT_TIMINGS.durationMs, MIN_DURATION_MS, MAX_DURATION_MS);
}

function normalizeTimings(t: AlertTimings): AlertTimings {
  return {
    durationMs: clampDuration(t.durationMs),
    enterMs: ms(t.enterMs, DEFAULT_ALERT_TIMINGS.enterMs, 0, 10_000),
    leaveMs: ms(t.leaveMs, DEFAULT_ALERT_TIMINGS.leaveMs, 0, 10_000),
    gapMs: ms(t.gapMs, DEFAULT_ALERT_TIMINGS.gapMs, 0, 10_000),
    maxAudioMs: ms(t.maxAudioMs, DEFAULT_ALERT_TIMINGS.maxAudioMs, 0, 120_000),
  };
}
