import { fileURLToPath } from 'node:url';
import { BootError, createKernel, KERNEL_VERSION, loadKernel, type Kernel, type KernelOptions } from '@streaming-companion/core';
import { coreServices, createServiceRef, defineEntity, defineEvents, definePlugin, optional, p, type Dependency, type Plugin } from '@streaming-companion/sdk';
import { startTestKernel } from '@streaming-companion/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/** A plugin that does nothing: enough for manifest, ordering and config checks. */
function plugin(id: string, extra: Partial<Parameters<typeof definePlugin>[0]> & { needs?: string[] } = {}): Plugin<any> {
  const { needs = [], ...rest } = extra;
  const deps: Record<string, Dependency> = Object.fromEntries(needs.map((other) => [other, serviceOf(other)]));
  return definePlugin({ id, version: '1.0.0', engine: '^0.1.0', setup() {}, deps, ...rest });
}

/** The service ref a test plugin's dependents name (what it provides is beside the point here). */
const serviceOf = (id: string) => createServiceRef<unknown>({ id: `${id}.service`, providedBy: id });

/** What `createKernel` threw; fails the test when it did not throw a BootError. */
function bootProblems(options: Partial<KernelOptions>): string[] {
  try {
    createKernel({ plugins: [], env: { LOG_LEVEL: 'silent' }, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(BootError);
    const problems = (error as BootError).problems;
    // The message lists the same problems, one per line, for the operator's log.
    for (const problem of problems) expect((error as BootError).message).toContain(problem);
    return problems;
  }
  throw new Error('createKernel did not throw');
}

describe('createKernel refuses to boot, before any I/O', () => {
  it('reports a dependency whose provider is not loaded, naming both plugins', () => {
    expect(bootProblems({ plugins: [plugin('goals', { needs: ['tips'] })] })).toEqual(['plugin "goals" needs tips.service from "tips", which is not loaded']);
  });

  it('names a dependency cycle in full', () => {
    expect(bootProblems({ plugins: [plugin('alpha', { needs: ['beta'] }), plugin('beta', { needs: ['alpha'] })] })).toEqual([
      'plugin dependency cycle: alpha -> beta -> alpha',
    ]);
    const longer = bootProblems({
      plugins: [plugin('xx', { needs: ['yy'] }), plugin('yy', { needs: ['zz'] }), plugin('zz', { needs: ['xx'] })],
    });
    expect(longer).toEqual(['plugin dependency cycle: xx -> yy -> zz -> xx']);
  });

  it('lists every field of a plugin config that breaks its schema', () => {
    const configured = plugin('menu', { config: z.object({ maxItems: z.int().min(1), currency: z.enum(['USD', 'EUR']), label: z.string().default('Menu') }) });
    const problems = bootProblems({ plugins: [configured], pluginConfig: { menu: { maxItems: 0, currency: 'GBP' } } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^plugin "menu" config maxItems: .*>=\s*1/);
    expect(problems[1]).toMatch(/^plugin "menu" config currency: .*"USD"\|"EUR"/);
  });

  it('refuses config for a plugin that is not listed', () => {
    expect(bootProblems({ plugins: [plugin('tips')], pluginConfig: { tipz: {} } })).toEqual(['config is given for "tipz", which is not in the plugin list']);
  });

  it('refuses a plugin whose engine range the kernel version does not satisfy', () => {
    expect(KERNEL_VERSION).toBe('0.1.0');
    expect(bootProblems({ plugins: [plugin('future', { engine: '^2.0.0' })] })).toEqual([`plugin "future" needs kernel ^2.0.0, this is ${KERNEL_VERSION}`]);
    expect(bootProblems({ plugins: [plugin('sloppy', { engine: 'whenever' })] })).toEqual(['plugin "sloppy": engine "whenever" is not a semver range']);
  });

  it('refuses duplicate plugin ids and ids reserved for the kernel', () => {
    expect(bootProblems({ plugins: [plugin('tips'), plugin('goals'), plugin('tips', { version: '2.0.0' })] })).toEqual(['plugin "tips" is listed twice']);
    expect(bootProblems({ plugins: [plugin('core')] })).toEqual(['plugin "core": the id is reserved for the kernel']);
  });

  it('refuses an object that was not made with definePlugin()', () => {
    const handMade = { id: 'rogue', version: '1.0.0', engine: '^0.1.0', setup() {} } as unknown as Plugin;
    expect(bootProblems({ plugins: [plugin('tips'), handMade] })).toEqual(['a plugin in the list was not made with definePlugin()']);
    // definePlugin itself refuses an id that cannot prefix tables and jobs.
    expect(() => plugin('Bad_Id')).toThrow(/plugin id "Bad_Id" must be 2-32 lowercase letters/);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ AUTH_MODE: 'nope' }, /^AUTH_MODE: .*"local"\|"sso"/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: /],
    [{ REDIS_URL: 'http://localhost:6379' }, /^REDIS_URL: /],
    [{ AUTH_MODE: 'sso' }, /^SSO_URL: required when AUTH_MODE=sso/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET: must be at least 32 characters/],
  ])('refuses a bad environment: %o', (env, expected) => {
    const problems = bootProblems({ env: { LOG_LEVEL: 'silent', ...env } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('lists every problem at once when there are several', () => {
    const handMade = { id: 'rogue', version: '1.0.0', engine: '^0.1.0', setup() {} } as unknown as Plugin;
    const problems = bootProblems({
      env: { PORT: 'abc', AUTH_MODE: 'sso', DATABASE_URL: 'mysql://x' },
      plugins: [
        plugin('goals', { needs: ['tips'] }),
        plugin('alpha', { needs: ['beta'] }),
        plugin('beta', { needs: ['alpha'] }),
        plugin('future', { engine: '>=1.0.0' }),
        plugin('menu', { config: z.object({ maxItems: z.int().min(1), currency: z.enum(['USD']) }) }),
        plugin('menu'),
        handMade,
      ],
      pluginConfig: { menu: { maxItems: -1, currency: 'GBP' } },
    });
    const expected = [
      /^PORT: /,
      /^DATABASE_URL: /,
      /^SSO_URL: required when AUTH_MODE=sso/,
      /^plugin "future" needs kernel >=1\.0\.0/,
      /^plugin "menu" is listed twice$/,
      /^a plugin in the list was not made with definePlugin\(\)$/,
      /^plugin "goals" needs tips.service from "tips", which is not loaded$/,
      /^plugin dependency cycle: alpha -> beta -> alpha$/,
      /^plugin "menu" config maxItems: /,
      /^plugin "menu" config currency: /,
    ];
    for (const pattern of expected) expect(problems.filter((p) => pattern.test(p)), `one problem matching ${pattern} in ${JSON.stringify(problems)}`).toHaveLength(1);
    expect(problems).toHaveLength(expected.length);
  });

  it('accepts a valid list and orders it dependencies first, without starting anything', () => {
    const kernel: Kernel = createKernel({
      plugins: [plugin('cc', { needs: ['bb'] }), plugin('bb', { needs: ['aa'] }), plugin('aa'), plugin('solo')],
      env: { LOG_LEVEL: 'silent', PORT: '4000' },
    });
    expect(kernel.plugins.map((p) => p.id)).toEqual(['aa', 'bb', 'cc', 'solo']);
    expect(kernel.config.port).toBe(4000);
    expect(() => kernel.url).toThrow(/not listening/);
  });
});

describe('plugin setup on a real kernel', () => {
  interface Greeter {
    greet(name: string): string;
  }
  const greeterRef = createServiceRef<Greeter>({ id: 'greeter.service', providedBy: 'greeter' });
  const greeterPlugin = (options: { provide?: boolean; setupOrder?: string[] } = {}) =>
    definePlugin({
      id: 'greeter',
      version: '1.0.0',
      engine: '^0.1.0',
      config: z.object({ salutation: z.string().default('Hello') }),
      setup(ctx) {
        options.setupOrder?.push(ctx.pluginId);
        if (options.provide !== false) ctx.provide(greeterRef, { greet: (name) => `${ctx.config.salutation}, ${name}` });
      },
    });

  it('sets plugins up dependencies-first and hands each its deps, typed', async () => {
    const setupOrder: string[] = [];
    let greeting: string | undefined;
    let sessionsFromCore: unknown;
    const consumer = definePlugin({
      id: 'consumer',
      version: '1.0.0',
      engine: '^0.1.0',
      deps: { greeter: greeterRef, sessions: coreServices.sessions },
      setup(ctx, { greeter, sessions }) {
        setupOrder.push(ctx.pluginId);
        greeting = greeter.greet('Ada');
        sessionsFromCore = sessions;
      },
    });
    const t = await startTestKernel({ plugins: [consumer, greeterPlugin({ setupOrder })], pluginConfig: { greeter: { salutation: 'Welcome' } } });
    try {
      expect(setupOrder).toEqual(['greeter', 'consumer']);
      expect(greeting).toBe('Welcome, Ada');
      expect(sessionsFromCore).toMatchObject({ get: expect.any(Function), addTip: expect.any(Function) });
      expect(t.kernel.plugins.map((p) => p.id)).toEqual(['greeter', 'consumer']);
      expect(await t.http.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await t.stop();
    }
  });

  it('hands an optional dependency over when its provider is loaded, and undefined when it is not', async () => {
    const seen: Array<Greeter | undefined> = [];
    const maybe = definePlugin({
      id: 'maybe',
      version: '1.0.0',
      engine: '^0.1.0',
      deps: { greeter: optional(greeterRef) },
      setup(_ctx, { greeter }) {
        seen.push(greeter);
      },
    });
    expect(maybe.dependencies).toEqual([{ plugin: 'greeter', what: 'greeter.service', required: false }]);
    const alone = await startTestKernel({ plugins: [maybe] });
    await alone.stop();
    const together = await startTestKernel({ plugins: [maybe, greeterPlugin()] });
    await together.stop();
    expect(seen[0]).toBeUndefined();
    expect(seen[1]?.greet('Bo')).toBe('Hello, Bo');
  });

  it('fails boot, naming both plugins, when a loaded provider never provides the service', async () => {
    const consumer = definePlugin({ id: 'consumer', version: '1.0.0', engine: '^0.1.0', deps: { greeter: greeterRef }, setup() {} });
    await expect(startTestKernel({ plugins: [greeterPlugin({ provide: false }), consumer] })).rejects.toThrow(
      'plugin "consumer" needs greeter.service, but "greeter" did not provide it',
    );
  });

  it("fails boot when a plugin subscribes to another plugin's event without naming it in deps", async () => {
    const owner = definePlugin({ id: 'owner', version: '1.0.0', engine: '^0.1.0', events: ownerEvents, setup() {} });
    const sneaky = definePlugin({
      id: 'sneaky',
      version: '1.0.0',
      engine: '^0.1.0',
      setup(ctx) {
        ctx.events.on(ownerEvents.domain['owner.thing.happened'], () => {});
      },
    });
    await expect(startTestKernel({ plugins: [owner, sneaky] })).rejects.toThrow(
      'plugin "sneaky" subscribes to "owner.thing.happened" of "owner" without naming "owner" in its deps',
    );
  });
});

const ownerEvents = defineEvents('owner', { domain: { 'owner.thing.happened': z.object({ id: z.uuid() }) }, socket: { thing_happened: z.object({ id: z.uuid() }) } });

describe('events and entities are owned once', () => {
  it('refuses two plugins defining the same event name', () => {
    const copycatEvents = defineEvents('copycat', { socket: { thing_happened: z.object({ other: z.string() }) } });
    const problems = bootProblems({
      plugins: [
        plugin('owner', { events: ownerEvents }),
        plugin('copycat', { events: copycatEvents }),
      ],
    });
    expect(problems).toEqual(['socket event "thing_happened" is defined by both "owner" and "copycat"']);
    // The kernel's own names are taken too.
    const squatter = defineEvents('squatter', { domain: { 'streaming.session.started': z.object({}) } });
    expect(bootProblems({ plugins: [plugin('squatter', { events: squatter })] })).toEqual([
      'domain event "streaming.session.started" is defined by both "core" and "squatter"',
    ]);
  });

  it("refuses a plugin declaring another owner's events", () => {
    expect(() => plugin('thief', { events: ownerEvents })).toThrow('plugin "thief" declares events owned by "owner"');
  });

  it('refuses an entity whose table is not prefixed by the plugin id, and an entity name used twice', () => {
    const Stray = defineEntity({ name: 'Stray', tableName: 'tips_stray', properties: { id: p.uuid().primary() } });
    const Session = defineEntity({ name: 'StreamSession', tableName: 'mine_sessions', properties: { id: p.uuid().primary() } });
    expect(bootProblems({ plugins: [plugin('mine', { entities: [Stray, Session] })] })).toEqual([
      'plugin "mine": entity Stray maps table "tips_stray", which must start with "mine_"',
      'entity name "StreamSession" is used by both "core" and "mine"',
    ]);
  });
});

describe('PLUGINS', () => {
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

  it('lists every entry that cannot be loaded, with the reason, at once', async () => {
    const problems = await loadProblems('./missing-plugin, @streaming-companion/no-such-plugin, ./throws-on-import.ts, ./exports-nothing.ts');
    expect(problems).toEqual([
      expect.stringMatching(/^PLUGINS entry "\.\/missing-plugin": cannot be found \(no such file or directory: .*missing-plugin\)$/),
      expect.stringMatching(/^PLUGINS entry "@streaming-companion\/no-such-plugin": cannot be found \(Cannot find module/),
      'PLUGINS entry "./throws-on-import.ts": throws on import: this plugin is broken on purpose',
      'PLUGINS entry "./exports-nothing.ts": exports no plugin (made with definePlugin)',
    ]);
  });

  it('loads a plugin by path and sets it up after the first-party ones; PLUGINS_DISABLE leaves one out', async () => {
    const kernel = await loadKernel({
      plugins: [plugin('tips'), plugin('goals', { needs: ['tips'] })],
      env: { LOG_LEVEL: 'silent', PLUGINS: './extra-plugin.ts', PLUGINS_DISABLE: 'goals' },
      cwd: fixtures,
    });
    expect(kernel.plugins.map((p) => p.id)).toEqual(['tips', 'extra']);
  });

  it('refuses to disable a plugin that is not first-party, or whose dependents stay', async () => {
    const problems = await loadProblems('', { PLUGINS_DISABLE: 'tips,nope' });
    expect(problems).toEqual([
      'PLUGINS_DISABLE names "nope", which is not a first-party plugin',
      'plugin "goals" needs tips.service from "tips", which is not loaded',
    ]);
  });

  async function loadProblems(entries: string, env: Record<string, string> = {}): Promise<string[]> {
    try {
      await loadKernel({ plugins: [plugin('tips'), plugin('goals', { needs: ['tips'] })], env: { LOG_LEVEL: 'silent', PLUGINS: entries, ...env }, cwd: fixtures });
    } catch (error) {
      expect(error).toBeInstanceOf(BootError);
      return (error as BootError).problems;
    }
    throw new Error('loadKernel did not throw');
  }
});
