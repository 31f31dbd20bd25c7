export { ApiToken } from './api-token.ts';
export { Creator } from './creator.ts';
export { HandledEvent } from './handled-event.ts';
export { OutboxEvent } from './outbox-event.ts';
export { SessionNote } from './session-note.ts';
export { SessionSequence } from './session-sequence.ts';
export { Setting } from './setting.ts';
export { StreamSession } from './stream-session.ts';
