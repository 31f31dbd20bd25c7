import type { kernelEvents, SocketEventMap } from '@streaming-companion/sdk';
import type { goalEvents } from '@streaming-companion/plugin-goals/contract';
import type { tipEvents } from '@streaming-companion/plugin-tips/contract';

/**
 * The first-party contracts this client speaks, taken from their owners (type-only imports:
 * nothing of the server is bundled). A new first-party plugin's contract is added here.
 */
export type FirstPartyContracts = typeof kernelEvents | typeof tipEvents | typeof goalEvents;

/** Every server → client event of the first-party plugins, name → payload. */
export type ServerToClientEvents = SocketEventMap<FirstPartyContracts>;

export type { StreamSessionUpdate, SocketErrorPayload } from '@streaming-companion/sdk';
export type { GoalCompleted, GoalProgress, TipGoal } from '@streaming-companion/plugin-goals/contract';
export type { SessionTotals, TipDto } from '@streaming-companion/plugin-tips/contract';
