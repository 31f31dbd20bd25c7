import { BootError, createKernel, KERNEL_VERSION, type Kernel, type KernelOptions } from '@streaming-companion/core';
import { coreServiceRefs, createServiceRef, definePlugin, type Plugin } from '@streaming-companion/sdk';
import { startTestKernel } from '@streaming-companion/sdk/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/** A plugin that does nothing: enough for manifest, ordering and config checks. */
function plugin(id: string, extra: Partial<Parameters<typeof definePlugin>[0]> = {}): Plugin {
  return definePlugin({ id, version: '1.0.0', engine: '^0.1.0', setup() {}, ...extra });
}

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
  it('reports a declared dependency that is not in the plugin list', () => {
    expect(bootProblems({ plugins: [plugin('goals', { dependencies: ['tips'] })] })).toEqual([
      'plugin "goals" depends on "tips", which is not in the plugin list',
    ]);
  });

  it('names a dependency cycle in full', () => {
    expect(bootProblems({ plugins: [plugin('alpha', { dependencies: ['beta'] }), plugin('beta', { dependencies: ['alpha'] })] })).toEqual([
      'plugin dependency cycle: alpha -> beta -> alpha',
    ]);
    const longer = bootProblems({
      plugins: [plugin('xx', { dependencies: ['yy'] }), plugin('yy', { dependencies: ['zz'] }), plugin('zz', { dependencies: ['xx'] })],
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
        plugin('goals', { dependencies: ['tips'] }),
        plugin('alpha', { dependencies: ['beta'] }),
        plugin('beta', { dependencies: ['alpha'] }),
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
      /^plugin "goals" depends on "tips", which is not in the plugin list$/,
      /^plugin dependency cycle: alpha -> beta -> alpha$/,
      /^plugin "menu" config maxItems: /,
      /^plugin "menu" config currency: /,
    ];
    for (const pattern of expected) expect(problems.filter((p) => pattern.test(p)), `one problem matching ${pattern} in ${JSON.stringify(problems)}`).toHaveLength(1);
    expect(problems).toHaveLength(expected.length);
  });

  it('accepts a valid list and orders it dependencies first, without starting anything', () => {
    const kernel: Kernel = createKernel({
      plugins: [plugin('cc', { dependencies: ['bb'] }), plugin('bb', { dependencies: ['aa'] }), plugin('aa'), plugin('solo')],
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

  it('sets plugins up dependencies-first and lets a dependent use the service its dependency provides', async () => {
    const setupOrder: string[] = [];
    let greeting: string | undefined;
    let sessionsFromCore: unknown;
    const consumer = definePlugin({
      id: 'consumer',
      version: '1.0.0',
      engine: '^0.1.0',
      dependencies: ['greeter'],
      setup(ctx) {
        setupOrder.push(ctx.pluginId);
        greeting = ctx.use(greeterRef).greet('Ada');
        sessionsFromCore = ctx.use(coreServiceRefs.sessions);
      },
    });
    const greeter = definePlugin({
      id: 'greeter',
      version: '1.0.0',
      engine: '^0.1.0',
      config: z.object({ salutation: z.string().default('Hello') }),
      setup(ctx) {
        setupOrder.push(ctx.pluginId);
        ctx.provide(greeterRef, { greet: (name) => `${ctx.config.salutation}, ${name}` });
      },
    });

    const t = await startTestKernel({ plugins: [consumer, greeter], pluginConfig: { greeter: { salutation: 'Welcome' } } });
    try {
      expect(setupOrder).toEqual(['greeter', 'consumer']);
      expect(greeting).toBe('Welcome, Ada');
      expect(sessionsFromCore).toMatchObject({ get: expect.any(Function), addTip: expect.any(Function) });
      expect((t.kernel as Kernel).plugins.map((p) => p.id)).toEqual(['greeter', 'consumer']);
      expect(await t.http.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await t.stop();
    }
  });

  it('fails boot when a plugin uses a service from a plugin it did not declare', async () => {
    const greeter = definePlugin({
      id: 'greeter',
      version: '1.0.0',
      engine: '^0.1.0',
      setup(ctx) {
        ctx.provide(greeterRef, { greet: (name) => `Hi ${name}` });
      },
    });
    const sneaky = definePlugin({
      id: 'sneaky',
      version: '1.0.0',
      engine: '^0.1.0',
      setup(ctx) {
        ctx.use(greeterRef);
      },
    });
    await expect(startTestKernel({ plugins: [greeter, sneaky] })).rejects.toThrow(
      'plugin "sneaky" uses greeter.service from "greeter" without declaring it in dependencies',
    );
  });
});
