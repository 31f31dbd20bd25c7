import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/sql';
import { coreServices, type Clock, type Plugin } from '@streaming-companion/sdk';
import { asValue, type AwilixContainer } from 'awilix';
import type { LoginLimits } from './auth/login-limiter.ts';
import { ConfigError, loadConfig, splitList, type KernelConfig } from './config.ts';
import { createKernelContainer, disposeInReverse, type KernelCradle } from './container.ts';
import { coreMigrations } from './database/core-migrations.ts';
import { migrate, openDatabase, type Orm } from './database/orm.ts';
import { serverSecret } from './database/server-secret.ts';
import * as coreEntities from './entities/index.ts';
import { answerClientError, createHttpApp } from './http/app.ts';
import { buildOpenApiDocument, openApiRoutes } from './http/openapi.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import type { Foreground } from './jobs/foreground.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import { registerKernelModules } from './kernel-modules.ts';
import { createLogger, type PinoLogger } from './logger.ts';
import { SecretBox } from './secret-box.ts';
import { BootError, checkManifests, orderByDependencies, validatePluginConfigs } from './plugins/boot-checks.ts';
import { loadPlugins } from './plugins/plugin-loader.ts';
import type { RealtimeServer } from './realtime/realtime-server.ts';

export const KERNEL_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export type Role = 'api' | 'worker' | 'all';

export interface KernelOptions {
  /** The first-party plugins (`PLUGINS_DISABLE` removes some, `PLUGINS` adds more through `loadKernel`). */
  plugins: Plugin[];
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Overrides on top of the environment (tests use these). */
  config?: Partial<KernelConfig>;
  /** Per plugin id; validated by each plugin's schema before anything starts. */
  pluginConfig?: Record<string, unknown>;
  role?: Role;
  logger?: PinoLogger;
  /** Login throttling, field by field over the `LOGIN_*` environment variables (tests use these). */
  loginLimits?: Partial<LoginLimits>;
  /** Namespaces this kernel's Redis keys (queues, socket stream, rate limits); instances that cooperate share it. */
  redisPrefix?: string;
  /** More HTTP routes outside the plugin system, mounted after the API (the server's overlay pages and dashboard). */
  routers?: Router[];
  /** How often to look for outbox rows no commit delivered. */
  outboxSweepMs?: number;
  /**
   * Deliver outbox rows right after their commit (the default). Off, they wait for a sweep or
   * the next boot, as if the process had died between commit and delivery (crash tests).
   */
  deliverAfterCommit?: boolean;
  /** What `coreServices.clock` answers; the system clock unless a test moves time by hand. */
  clock?: Clock;
}

/**
 * Check all that can be checked without I/O and throw one BootError listing every problem:
 * the environment, the plugin manifests and dependencies, their order, their config.
 */
export function createKernel(options: KernelOptions, loaded: { plugins: Plugin[]; problems: string[] } = { plugins: [], problems: [] }): Kernel {
  const problems: string[] = [...loaded.problems];
  let config: KernelConfig | undefined;
  try {
    config = { ...loadConfig(options.env ?? process.env), ...options.config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const disabled = new Set(config?.pluginsDisable ?? []);
  for (const id of disabled) {
    if (!options.plugins.some((p) => p?.id === id)) problems.push(`PLUGINS_DISABLE names "${id}", which is not a first-party plugin`);
  }
  const plugins = [...options.plugins.filter((p) => !disabled.has(p?.id)), ...loaded.plugins];
  problems.push(...checkManifests(plugins, KERNEL_VERSION));
  const { ordered, problems: orderProblems } = orderByDependencies(plugins.filter((p) => p?.kind === 'streaming-companion-plugin'));
  problems.push(...orderProblems);
  const { configs, problems: configProblems } = validatePluginConfigs(ordered, options.pluginConfig ?? {});
  problems.push(...configProblems);
  if (problems.length || !config) throw new BootError(problems);
  return new Kernel(config, ordered, configs, options);
}

/** `createKernel`, plus the plugins `PLUGINS` names, loaded from `cwd`; their failures join the same BootError. */
export async function loadKernel(options: KernelOptions & { cwd?: string }): Promise<Kernel> {
  const entries = splitList((options.env ?? process.env).PLUGINS);
  return createKernel(options, await loadPlugins(entries, options.cwd ?? process.cwd()));
}

/**
 * The kernel: everything every feature needs, and nothing a plugin could do. `start` is the
 * boot order; `stop` undoes it in reverse.
 */
export class Kernel {
  readonly config: KernelConfig;
  readonly role: Role;
  readonly log: PinoLogger;
  /** In setup order: dependencies first. */
  readonly plugins: Plugin[];
  readonly #pluginConfigs: Map<string, unknown>;
  readonly #options: KernelOptions;
  readonly #container: AwilixContainer<KernelCradle>;
  #http: HttpServer | undefined;
  /** Responses not yet finished: when stopping, they close their connection instead of keeping it alive. */
  readonly #openResponses = new Set<ServerResponse>();
  #stopping: Promise<void> | undefined;

  constructor(config: KernelConfig, plugins: Plugin[], pluginConfigs: Map<string, unknown>, options: KernelOptions) {
    this.config = config;
    this.plugins = plugins;
    this.#pluginConfigs = pluginConfigs;
    this.#options = options;
    this.role = options.role ?? 'all';
    this.log = options.logger ?? createLogger(config.logLevel);
    this.#container = createKernelContainer({
      config,
      log: this.log,
      plugins,
      redisPrefix: this.redisPrefix,
      loginLimits: options.loginLimits,
      deliverAfterCommit: options.deliverAfterCommit,
      clock: options.clock,
    });
  }

  get redisPrefix(): string {
    return this.#options.redisPrefix ?? this.config.redisPrefix;
  }

  get embedded(): boolean {
    return !this.config.databaseUrl;
  }

  get orm(): Orm {
    return this.#started.orm;
  }

  get jobs(): JobRunner {
    return this.#started.jobs;
  }

  get realtime(): RealtimeServer {
    return this.#started.realtime;
  }

  /** Requests in flight, which background jobs step aside for. */
  get foreground(): Foreground {
    return this.#started.foreground;
  }

  /** The base URL the API listens on (api and all roles). */
  get url(): string {
    const address = this.#http?.address() as AddressInfo | null;
    if (!address) throw new Error('the kernel is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  forkEm = (): EntityManager => this.#started.forkEm();

  /** Open the database and apply pending migrations (core, then each plugin in order), nothing else. */
  async migrate(): Promise<string[]> {
    const orm = await this.#open([]);
    try {
      return await migrate(orm, !this.embedded);
    } finally {
      await orm.close();
    }
  }

  async start(): Promise<this> {
    this.#announceMode();
    await this.#openDatabase();
    await this.#setUpKernelAndPlugins();
    if (this.role !== 'worker') await this.#listen();
    // Workers last: every subscriber exists before the first event is handled.
    await this.#startWorkers();
    // Announced once all is running: whoever waits for this line (a supervisor, a test) may stop the server at once after it.
    if (this.#http) this.log.info({ url: this.#url() }, 'listening');
    return this;
  }

  /** Until no outbox row is pending and no job is waiting or running (events can publish events). */
  async drain(): Promise<void> {
    const { outbox, jobs, subscribers } = this.#started;
    for (;;) {
      await outbox.dispatch();
      await subscribers.drain();
      await jobs.drain();
      if ((await outbox.pendingCount()) === 0) return;
    }
  }

  /**
   * Stop accepting, finish in-flight requests and jobs, stop the plugins and release the
   * kernel's services (in reverse of the order they were made), then close the database.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const cradle = this.#container.cradle;
      const made = this.#container.cache;
      const closing = this.#http ? new Promise<void>((resolve) => this.#http!.close(() => resolve())) : Promise.resolve();
      for (const res of this.#openResponses) if (!res.headersSent) res.setHeader('connection', 'close');
      if (made.has('realtime')) await cradle.realtime.close();
      await closing;
      // Deliveries already started may still enqueue jobs, so they finish before the workers stop;
      // the outbox's disposer then waits for what the last jobs settled.
      if (made.has('outbox')) await cradle.outbox.stop();
      // Events dispatched in this process may still hand a failed subscriber to a BullMQ queue.
      if (made.has('subscribers')) await cradle.subscribers.stop();
      if (made.has('jobs')) await cradle.jobs.stop();
      await disposeInReverse(this.#container);
      if (this.#container.hasRegistration('orm')) await cradle.orm.close();
      this.log.info('stopped');
    })();
    return this.#stopping;
  }

  get #started(): KernelCradle {
    if (!this.#container.hasRegistration('orm')) throw new Error('the kernel is not started');
    return this.#container.cradle;
  }

  #announceMode(): void {
    const { config, log } = this;
    if (this.embedded) {
      log.info({ dataDir: config.dataDir }, 'embedded mode: PGlite database, in-process jobs and events; for one instance only, not for multi-instance use');
    } else {
      log.info({ redis: Boolean(config.redisUrl), role: this.role }, 'scaled mode: PostgreSQL' + (config.redisUrl ? ', Redis (BullMQ, socket adapter)' : ', in-process jobs'));
    }
  }

  /** Open with the outbox's commit hooks, migrate, and make the database (and the login-token key) part of the kernel. */
  async #openDatabase(): Promise<void> {
    const orm = await this.#open([this.#container.cradle.outbox.subscriber()]);
    this.#container.register({ orm: asValue(orm) });
    const applied = await migrate(orm, !this.embedded);
    if (applied.length) this.log.info({ migrations: applied }, 'migrations applied');
    this.#container.register({
      secret: asValue(this.config.jwtSecret ?? (await serverSecret(this.forkEm(), 'jwt_secret'))),
      [coreServices.secrets.id]: asValue(new SecretBox(this.config.secretsKey ?? (await serverSecret(this.forkEm(), 'secrets_key')))),
    });
  }

  async #setUpKernelAndPlugins(): Promise<void> {
    const cradle = this.#container.cradle;
    await registerKernelModules(cradle);
    for (const plugin of this.plugins) await cradle.pluginHost.setup(plugin, this.#pluginConfigs.get(plugin.id));
  }

  /** The HTTP server: docs, the API, the extra routers; sockets on the same port. */
  async #listen(): Promise<void> {
    const { config, log } = this;
    const { routes, auth, realtime, forkEm, redis, redisPrefix, foreground } = this.#container.cradle;
    const router = routes.buildRouter({
      authenticator: auth,
      forkEm,
      validateResponses: !config.production,
      rateLimiter: (keyPrefix, points, windowSeconds) => createRateLimiter({ keyPrefix, points, windowSeconds, redis, redisPrefix }),
    });
    let document: object | undefined;
    const docs = openApiRoutes(() => (document ??= buildOpenApiDocument(routes.routes, { title: 'Streaming Companion API', version: KERNEL_VERSION })));
    const app = createHttpApp({ log, corsOrigins: config.corsOrigins, trustProxy: config.trustProxy, foreground, routers: [docs, router, ...(this.#options.routers ?? [])] });
    const handle = app.callback();
    const server = (this.#http = createServer((req, res) => {
      // A keep-alive connection must not outlive stop(): once stopping, every reply closes it.
      if (this.#stopping) res.setHeader('connection', 'close');
      this.#openResponses.add(res);
      res.once('close', () => this.#openResponses.delete(res));
      return handle(req, res);
    }));
    server.on('clientError', answerClientError);
    realtime.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  }

  #url(): string {
    const { host } = this.config;
    return `http://${host === '0.0.0.0' ? 'localhost' : host}:${(this.#http!.address() as AddressInfo).port}`;
  }

  async #startWorkers(): Promise<void> {
    const { jobs, outbox, subscribers } = this.#container.cradle;
    if (this.role !== 'api' || jobs.kind === 'in-process') {
      await jobs.start();
      await subscribers.start();
    }
    // One process owns an embedded data directory: a claim found at boot is a dead predecessor's,
    // and its rows need not wait the claim out.
    if (this.embedded) await outbox.releaseClaims();
    await outbox.dispatch();
    outbox.startSweep(this.#options.outboxSweepMs ?? 5_000);
  }

  #open(subscribers: Parameters<typeof openDatabase>[0]['subscribers']): Promise<Orm> {
    return openDatabase({
      databaseUrl: this.config.databaseUrl,
      dataDir: this.config.dataDir,
      entities: [...Object.values(coreEntities), ...this.plugins.flatMap((p) => p.entities)],
      migrations: [
        ...coreMigrations.map((migration) => ({ owner: 'core', migration })),
        ...this.plugins.flatMap((p) => p.migrations.map((migration) => ({ owner: p.id, migration }))),
      ],
      subscribers,
      log: this.log,
    });
  }
}
