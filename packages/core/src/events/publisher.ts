import type { EntityManager } from '@mikro-orm/sql';
import type { DomainEventRef, SocketEventRef } from '@streaming-companion/sdk';
import type { BroadcastTarget } from '../entities/outbox-event.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { RealtimeServer } from '../realtime/realtime-server.ts';
import { isUuid } from '../uuid.ts';
import type { EventRegistry } from './event-registry.ts';

/**
 * How the kernel and plugins send events: domain events and broadcasts through the outbox,
 * ephemeral emits straight to the sockets. Only an event's owner sends it.
 */
export class Publisher {
  readonly #outbox: Outbox;
  readonly #realtime: RealtimeServer;
  readonly #registry: EventRegistry;

  constructor(outbox: Outbox, realtime: RealtimeServer, registry: EventRegistry) {
    this.#outbox = outbox;
    this.#realtime = realtime;
    this.#registry = registry;
  }

  publish(owner: string, em: EntityManager, ref: DomainEventRef, payload: unknown): Promise<void> {
    ownedBy(owner, ref);
    const parsed = this.#registry.payload(ref, payload) as { sessionId?: unknown };
    return this.#outbox.add(em, { kind: 'domain', name: ref.name, payload: parsed, sessionId: sessionOf(parsed) });
  }

  broadcast(owner: string, em: EntityManager, target: BroadcastTarget, ref: SocketEventRef, payload: unknown): Promise<void> {
    ownedBy(owner, ref);
    return this.#outbox.add(em, { kind: 'realtime', name: ref.name, payload: this.#registry.payload(ref, payload) as object, target });
  }

  emit(owner: string, target: BroadcastTarget, ref: SocketEventRef, payload: unknown): void {
    ownedBy(owner, ref);
    this.#realtime.send(target, ref.name, this.#registry.payload(ref, payload));
  }
}

/** The session a domain event belongs to, by its payload's `sessionId`; a value that is not a session id is no session. */
function sessionOf(payload: { sessionId?: unknown }): string | undefined {
  return isUuid(payload.sessionId) ? payload.sessionId : undefined;
}

function ownedBy(owner: string, ref: DomainEventRef | SocketEventRef): void {
  if (ref.owner !== owner) throw new Error(`"${owner}" cannot send ${ref.kind} event "${ref.name}": only its owner "${ref.owner}" does`);
}
