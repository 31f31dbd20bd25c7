import { realTimers, type Timers } from './timers.ts';

/**
 * Alerts one after another: a burst of tips plays in arrival order, none dropped, never two
 * on screen at once. Each alert enters, shows for its duration, leaves, and only then does
 * the next one start. An alert whose TTS audio arrives (before it starts or while it shows)
 * plays that audio and does not leave before the audio has finished, up to a cap.
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
  /** The longest an alert waits for its audio, counted from when the audio started. */
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
}

export interface AlertQueueOptions {
  timings?: Partial<AlertTimings>;
  timers?: Timers;
  /** How many alert ids are remembered to drop duplicates (a redelivered tip). */
  rememberIds?: number;
  /** How many not-yet-shown alerts' audio clips are kept. */
  maxPendingAudio?: number;
}

interface Showing<T> {
  alert: Alert<T>;
  state: AlertState;
  durationOver: boolean;
  audio: 'none' | 'playing' | 'done';
  stopAudio?: () => void;
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
  readonly #pendingAudio = new Map<string, A>();
  #showing: Showing<T> | undefined;
  #gapTimer: unknown;

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

  /** Audio for alert `id`: played now if it is on screen, kept if it is still to come, ignored if it is over. */
  audio(id: string, audio: A): void {
    const showing = this.#showing;
    if (showing && showing.alert.id === id) {
      if (showing.state !== 'leaving' && showing.audio === 'none') this.#playAudio(showing, audio);
      return;
    }
    if (this.#seen.has(id) && !this.#waiting.some((a) => a.id === id)) return;
    this.#pendingAudio.delete(id);
    this.#pendingAudio.set(id, audio);
    while (this.#pendingAudio.size > this.#maxPendingAudio) this.#pendingAudio.delete(this.#pendingAudio.keys().next().value!);
  }

  /** Drop everything: the alert on screen ends without its exit, the queue empties. */
  clear(): void {
    if (this.#showing) {
      this.#showing.stopAudio?.();
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
    const showing: Showing<T> = { alert, state: 'entering', durationOver: false, audio: 'none', timers: [] };
    this.#showing = showing;
    this.#hooks.state(alert, 'entering');
    if (this.#showing !== showing) return;
    showing.timers.push(
      this.#timers.setTimeout(() => {
        if (showing.state !== 'entering') return;
        showing.state = 'showing';
        this.#hooks.state(alert, 'showing');
      }, timings.enterMs),
      this.#timers.setTimeout(() => {
        showing.durationOver = true;
        this.#leaveWhenDone(showing);
      }, timings.durationMs),
    );
    const audio = this.#pendingAudio.get(alert.id);
    if (audio !== undefined) {
      this.#pendingAudio.delete(alert.id);
      this.#playAudio(showing, audio);
    }
  }

  #playAudio(showing: Showing<T>, audio: A): void {
    const play = this.#hooks.playAudio;
    if (!play) return;
    showing.audio = 'playing';
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      if (this.#showing !== showing) return;
      showing.audio = 'done';
      this.#leaveWhenDone(showing);
    };
    showing.timers.push(this.#timers.setTimeout(done, this.#timings.maxAudioMs));
    try {
      showing.stopAudio = play(showing.alert, audio, done);
    } catch {
      done();
    }
  }

  #leaveWhenDone(showing: Showing<T>): void {
    if (this.#showing !== showing || showing.state === 'leaving') return;
    if (!showing.durationOver || showing.audio === 'playing') return;
    showing.state = 'leaving';
    showing.stopAudio?.();
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

function normalizeTimings(t: AlertTimings): AlertTimings {
  const ms = (value: number, fallback: number, min: number, max: number): number =>
    Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
  return {
    durationMs: ms(t.durationMs, DEFAULT_ALERT_TIMINGS.durationMs, MIN_DURATION_MS, MAX_DURATION_MS),
    enterMs: ms(t.enterMs, DEFAULT_ALERT_TIMINGS.enterMs, 0, 10_000),
    leaveMs: ms(t.leaveMs, DEFAULT_ALERT_TIMINGS.leaveMs, 0, 10_000),
    gapMs: ms(t.gapMs, DEFAULT_ALERT_TIMINGS.gapMs, 0, 10_000),
    maxAudioMs: ms(t.maxAudioMs, DEFAULT_ALERT_TIMINGS.maxAudioMs, 0, 120_000),
  };
}
