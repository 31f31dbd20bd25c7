import type { EntityManager } from '@mikro-orm/sql';
import type { OverlayJoin } from '@streaming-companion/sdk';
import type { Socket } from 'socket.io';
import type { PinoLogger } from '../logger.ts';
import { emitNow } from '../realtime/realtime-server.ts';

type Hook = (join: OverlayJoin) => Promise<void> | void;

/** What plugins send an overlay that has just joined a session, so a reloaded OBS source is never blank. */
export class OverlayJoinHooks {
  readonly #hooks: Array<{ owner: string; hook: Hook }> = [];
  readonly #log: PinoLogger;
  readonly #check: (ref: Parameters<OverlayJoin['emit']>[0], payload: unknown) => unknown;

  constructor(log: PinoLogger, check: (ref: Parameters<OverlayJoin['emit']>[0], payload: unknown) => unknown) {
    this.#log = log;
    this.#check = check;
  }

  add(owner: string, hook: Hook): void {
    this.#hooks.push({ owner, hook });
  }

  /** Every plugin's state for the session, to this socket only; one failing does not blank the rest. */
  async send(socket: Socket, em: EntityManager, sessionId: string, creatorId: string): Promise<void> {
    for (const { owner, hook } of this.#hooks) {
      try {
        await hook({ sessionId, creatorId, em, emit: (ref, payload) => emitNow(socket, ref.name, this.#check(ref, payload)) });
      } catch (error) {
        this.#log.error({ err: error, plugin: owner, sessionId }, 'overlay state hook failed');
      }
    }
  }
}
