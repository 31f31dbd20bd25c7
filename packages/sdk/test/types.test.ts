import { coreServices, createServiceRef, defineEvents, definePlugin, optional, type EntityManager, type PayloadOf, type SessionsService } from '@streaming-companion/sdk';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

/**
 * The SDK's promises at compile time. `npm test` type-checks this file first: every
 * `@ts-expect-error` below must be an error, or the typecheck fails.
 */

const thingEvents = defineEvents('things', {
  domain: { 'things.thing.done': z.object({ thingId: z.uuid(), count: z.int() }) },
  socket: { thing_done: z.object({ thingId: z.uuid() }), thing_secret: z.object({ note: z.string() }) },
  overlay: ['thing_done'],
  commands: { do_thing: z.object({ name: z.string() }) },
});

interface Greeter {
  greet(name: string): string;
}
const greeterRef = createServiceRef<Greeter>({ id: 'greeter.service', providedBy: 'greeter' });

/** Only type-checked: its body never runs. */
function compileOnly(em: EntityManager) {
  return definePlugin({
    id: 'things',
    version: '1.0.0',
    engine: '*',
    events: thingEvents,
    deps: { greeter: greeterRef, maybe: optional(greeterRef), sessions: coreServices.sessions },
    config: z.object({ greeting: z.string().default('hi'), times: z.int().min(1).default(1) }),
    setup(ctx, deps) {
      // Config is typed from its schema, defaults applied.
      expectTypeOf(ctx.config).toEqualTypeOf<{ greeting: string; times: number }>();
      // Deps arrive typed from their refs; an optional one may be missing.
      expectTypeOf(deps.greeter).toEqualTypeOf<Greeter>();
      expectTypeOf(deps.maybe).toEqualTypeOf<Greeter | undefined>();
      expectTypeOf(deps.sessions).toEqualTypeOf<SessionsService>();
      // @ts-expect-error a dep that was not declared does not exist
      void deps.tips;

      ctx.events.on(thingEvents.domain['things.thing.done'], (event) => {
        expectTypeOf(event.payload).toEqualTypeOf<{ thingId: string; count: number }>();
      });
      // @ts-expect-error events are refs from a contract, not names
      ctx.events.on('things.thing.done', () => {});
      // @ts-expect-error an event the contract does not define
      void thingEvents.domain['things.thing.undone'];

      void ctx.events.publish(em, thingEvents.domain['things.thing.done'], { thingId: crypto.randomUUID(), count: 2 });
      // @ts-expect-error wrong payload: count is a number
      void ctx.events.publish(em, thingEvents.domain['things.thing.done'], { thingId: crypto.randomUUID(), count: 'two' });
      // @ts-expect-error wrong payload: thingId is missing
      ctx.realtime.toSession('s').emit(thingEvents.socket.thing_done, {});

      ctx.socket.on(thingEvents.commands.do_thing, (payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ name: string }>();
      });
      ctx.realtime.onOverlayJoin(({ emit }) => {
        emit(thingEvents.socket.thing_done, { thingId: crypto.randomUUID() });
        // @ts-expect-error only overlay events go to an overlay
        emit(thingEvents.socket.thing_secret, { note: 'x' });
      });
    },
  });
}

describe('SDK types', () => {
  it('type payloads from refs', () => {
    expectTypeOf<PayloadOf<typeof thingEvents.socket.thing_done>>().toEqualTypeOf<{ thingId: string }>();
    expectTypeOf(thingEvents.socket.thing_done.overlay).toEqualTypeOf<true>();
    expectTypeOf(thingEvents.socket.thing_secret.overlay).toEqualTypeOf<false>();
    expect(thingEvents.socket.thing_done.overlay).toBe(true);
    expect(typeof compileOnly).toBe('function');
  });

  it('refuse a dep that is not a ref, at compile time and at run time', () => {
    // @ts-expect-error a dep must be a service ref, optional(ref) or an event contract
    const wrongDep = () => definePlugin({ id: 'wrong', version: '1.0.0', engine: '*', deps: { tips: 'tips' }, setup() {} });
    expect(wrongDep).toThrow('plugin "wrong": deps.tips is not a service ref, optional(ref) or event contract');
  });

  it('derive the dependency list from the deps', () => {
    const plugin = definePlugin({
      id: 'derived',
      version: '1.0.0',
      engine: '*',
      deps: { greeter: greeterRef, again: optional(greeterRef), things: thingEvents, sessions: coreServices.sessions },
      setup() {},
    });
    expect(plugin.dependencies).toEqual([{ plugin: 'greeter', what: 'greeter.service', required: true }, { plugin: 'things', what: 'events', required: true }]);
  });

  it('refuse event names that are not wire names', () => {
    expect(() => defineEvents('bad', { socket: { 'Not OK': z.object({}) } })).toThrow(/socket event name "Not OK"/);
    expect(() => defineEvents('bad', { domain: { nodots: z.object({}) } })).toThrow(/domain event name "nodots"/);
    // @ts-expect-error an overlay event must be one of the socket events
    expect(() => defineEvents('bad', { socket: { a: z.object({}) }, overlay: ['b'] })).toThrow('bad: overlay event "b" is not one of its socket events');
  });
});
