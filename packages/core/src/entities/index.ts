export { ApiToken } from './api-token.ts';
export { Creator } from './creator.ts';
export { OutboxEvent } from './outbox-event.ts';
export { SessionNote } from './session-note.ts';
export { StreamSession } from './stream-session.ts';
