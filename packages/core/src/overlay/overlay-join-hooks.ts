import type { EntityManager } from '@mikro-orm/sql';
import type { OverlayConnect, OverlayJoin } from '@streaming-companion/sdk';
import type { Socket } from 'socket.io';
import type { PinoLogger } from '../logger.ts';
import { emitNow } from '../realtime/realtime-server.ts';

type Hook<T> = (join: T) => Promise<void> | void;
interface Registered<T> {
  owner: string;
  hook: Hook<T>;
}

/**
 * What plugins send an overlay that has just joined: on every join (`connect`: its look, live
 * or not), then, when it follows a live session (`join`), that session's state, so a reloaded
 * OBS source is never blank.
 */
export class OverlayJoinHooks {
  readonly #joinHooks: Array<Registered<OverlayJoin>> = [];
  readonly #connectHooks: Array<Registered<OverlayConnect>> = [];
  readonly #log: PinoLogger;
  readonly #check: (ref: Parameters<OverlayJoin['emit']>[0], payload: unknown) => unknown;

  constructor(log: PinoLogger, check: (ref: Parameters<OverlayJoin['emit']>[0], payload: unknown) => unknown) {
    this.#log = log;
    this.#check = check;
  }

  add(owner: string, hook: Hook<OverlayJoin>): void {
    this.#joinHooks.push({ owner, hook });
  }

  addConnect(owner: string, hook: Hook<OverlayConnect>): void {
    this.#connectHooks.push({ owner, hook });
  }

  /** Every plugin's state for the session, to this socket only; one failing does not blank the rest. */
  send(socket: Socket, em: EntityManager, sessionId: string, creatorId: string): Promise<void> {
    return this.#run(this.#joinHooks, socket, { sessionId, creatorId, em });
  }

  /** Every plugin's session-independent state, to this socket only. */
  sendOnConnect(socket: Socket, em: EntityManager, sessionId: string | null, creatorId: string): Promise<void> {
    return this.#run(this.#connectHooks, socket, { sessionId, creatorId, em });
  }

  async #run<T extends OverlayConnect>(hooks: Array<Registered<T>>, socket: Socket, join: Omit<T, 'emit'>): Promise<void> {
    const emit: OverlayConnect['emit'] = (ref, payload) => emitNow(socket, ref.name, this.#check(ref, payload));
    for (const { owner, hook } of hooks) {
      try {
        await hook({ ...join, emit } as T);
      } catch (error) {
        this.#log.error({ err: error, plugin: owner, sessionId: join.sessionId }, 'overlay state hook failed');
      }
    }
  }
}
