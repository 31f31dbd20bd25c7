import { defineEvents } from '@streaming-companion/sdk/contracts';
import { z } from 'zod';

export const FILTER_MODES = ['bleep', 'skip'] as const;
export const TTS_ACTIONS = ['skip', 'mute', 'unmute'] as const;
/** What a clip speaks: the tip's message, or the line of the menu item the tip bought. */
export const UTTERANCE_SOURCES = ['message', 'menu'] as const;
export type UtteranceSource = (typeof UTTERANCE_SOURCES)[number];

/** A word or phrase the creator never wants read out: spaces collapsed, compared blind to case and accents. */
const FilterWord = z
  .string()
  .transform((word) => word.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'must not be blank').max(50, 'must be at most 50 characters'));

/** A creator's text-to-speech settings (see the README). */
export const TtsSettings = z
  .object({
    enabled: z.boolean(),
    /** Tips below this are not read. */
    minAmountCents: z.int().min(0).max(100_000_000),
    voice: z.string().trim().min(1).max(100),
    /** Words per minute. */
    speed: z.int().min(80).max(450),
    /** 0–99; 50 is the voice's own. */
    pitch: z.int().min(0).max(99),
    /** What is read of one tip, cut at a word. */
    maxChars: z.int().min(1).max(500),
    /** The longest a clip may play. */
    maxSeconds: z.int().min(1).max(60),
    /** On top of the built-in English profanity and slur list. */
    filterWords: z.array(FilterWord).max(200),
    /** `bleep` says "bleep" instead of a filtered word; `skip` reads nothing of that tip. */
    filterMode: z.enum(FILTER_MODES),
    /** Tips read per tipper per minute; more are not read. */
    perTipperPerMinute: z.int().min(1).max(60),
    /** Read "<name> says: <message>" rather than the message alone. */
    readName: z.boolean(),
  })
  .meta({ id: 'TtsSettings' });
export type TtsSettings = z.output<typeof TtsSettings>;

export const TtsVoiceDto = z.object({ id: z.string(), name: z.string(), language: z.string() }).meta({ id: 'TtsVoice' });
export type TtsVoiceDto = z.output<typeof TtsVoiceDto>;

/** The spec's `chat_participant_audio`: a tip's speech, for the alert box to play with its alert. */
export const ParticipantAudio = z.object({
  sessionId: z.uuid(),
  tipId: z.uuid(),
  audioBase64: z.base64(),
  format: z.literal('wav'),
  /** From the WAV header; never more than the creator's `maxSeconds`. */
  durationMs: z.int().min(0),
  /** What is spoken (viewer text, filtered: escape it wherever it is shown). */
  text: z.string(),
  source: z.enum(UTTERANCE_SOURCES),
});
export type ParticipantAudio = z.output<typeof ParticipantAudio>;

/** Sent at once to a session's overlays: `skip` the clip playing, `mute` (and stop it) or `unmute` speech. */
export const TtsControl = z.object({ sessionId: z.uuid(), action: z.enum(TTS_ACTIONS) });
export type TtsControl = z.output<typeof TtsControl>;

export const ttsEvents = defineEvents('tts', {
  socket: { chat_participant_audio: ParticipantAudio, tts_control: TtsControl },
  overlay: ['chat_participant_audio', 'tts_control'],
});
