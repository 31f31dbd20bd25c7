import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/sql';
import type { JobContext, Plugin } from '@streaming-companion/sdk';
import { Redis } from 'ioredis';
import { AuthService } from './auth/auth-service.ts';
import { SessionTokens } from './auth/credentials.ts';
import { registerAuthRoutes } from './auth/http.ts';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter, type LoginLimits } from './auth/login-limiter.ts';
import { SsoVerifier } from './auth/sso.ts';
import { ConfigError, loadConfig, type KernelConfig } from './config.ts';
import { coreMigrations } from './database/core-migrations.ts';
import { migrate, openDatabase, type Orm } from './database/orm.ts';
import { serverSecret } from './database/server-secret.ts';
import * as coreEntities from './entities/index.ts';
import { OutboxEvent } from './entities/outbox-event.ts';
import { DomainEventBus } from './events/domain-event-bus.ts';
import { createHttpApp } from './http/app.ts';
import { registerHealthRoutes } from './http/health.ts';
import { openApiRoutes, buildOpenApiDocument } from './http/openapi.ts';
import { RouteRegistry } from './http/route-registry.ts';
import { BullMqJobRunner } from './jobs/bullmq-runner.ts';
import { InProcessJobRunner } from './jobs/in-process-runner.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import { createLogger, type PinoLogger } from './logger.ts';
import { OverlayKeys, registerOverlayKeyRoutes } from './overlay/overlay-keys.ts';
import { BootError, checkManifests, orderByDependencies, validatePluginConfigs } from './plugins/boot-checks.ts';
import { PluginHost } from './plugins/plugin-host.ts';
import { emitNow, RealtimeServer } from './realtime/realtime-server.ts';
import { registerSessionRoutes } from './sessions/http.ts';
import { SessionService, sessionUpdate } from './sessions/session-service.ts';
import { registerSessionSocketEvents } from './sessions/socket.ts';

export const KERNEL_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export type Role = 'api' | 'worker' | 'all';

export interface KernelOptions {
  plugins: Plugin[];
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Overrides on top of the environment (tests use these). */
  config?: Partial<KernelConfig>;
  /** Per plugin id; validated by each plugin's schema before anything starts. */
  pluginConfig?: Record<string, unknown>;
  role?: Role;
  logger?: PinoLogger;
  loginLimits?: LoginLimits;
  /** Namespaces this kernel's Redis keys (queues, socket stream, rate limits); instances that cooperate share it. */
  redisPrefix?: string;
  /** More HTTP routes outside the plugin system, mounted after the API (the server's overlay pages and dashboard). */
  routers?: Router[];
  /** How often to look for outbox rows no commit hook announced. */
  outboxSweepMs?: number;
}

/**
 * The kernel: everything every feature needs, and nothing a plugin could do.
 * `createKernel` checks all that can be checked without I/O and throws one BootError
 * listing every problem; `start` then opens, migrates, sets up, listens, and starts
 * workers last.
 */
export function createKernel(options: KernelOptions): Kernel {
  const problems: string[] = [];
  let config: KernelConfig | undefined;
  try {
    config = { ...loadConfig(options.env ?? process.env), ...options.config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  problems.push(...checkManifests(options.plugins, KERNEL_VERSION));
  const valid = options.plugins.filter((p) => p?.kind === 'streaming-companion-plugin');
  const { ordered, problems: orderProblems } = orderByDependencies(valid);
  problems.push(...orderProblems);
  const { configs, problems: configProblems } = validatePluginConfigs(ordered, options.pluginConfig ?? {});
  problems.push(...configProblems);
  if (problems.length || !config) throw new BootError(problems);
  return new Kernel(config, ordered, configs, options);
}

export class Kernel {
  readonly config: KernelConfig;
  readonly role: Role;
  readonly log: PinoLogger;
  readonly plugins: Plugin[];
  readonly #pluginConfigs: Map<string, unknown>;
  readonly #options: KernelOptions;
  #orm: Orm | undefined;
  #jobs: JobRunner | undefined;
  #bus: DomainEventBus | undefined;
  #realtime: RealtimeServer | undefined;
  #http: HttpServer | undefined;
  /** Responses not yet finished: when stopping, they close their connection instead of keeping it alive. */
  readonly #openResponses = new Set<ServerResponse>();
  #host: PluginHost | undefined;
  #redis: Redis[] = [];
  #stopping: Promise<void> | undefined;

  constructor(config: KernelConfig, plugins: Plugin[], pluginConfigs: Map<string, unknown>, options: KernelOptions) {
    this.config = config;
    this.plugins = plugins;
    this.#pluginConfigs = pluginConfigs;
    this.#options = options;
    this.role = options.role ?? 'all';
    this.log = options.logger ?? createLogger(config.logLevel);
  }

  get redisPrefix(): string {
    return this.#options.redisPrefix ?? this.config.redisPrefix;
  }

  get embedded(): boolean {
    return !this.config.databaseUrl;
  }

  get orm(): Orm {
    if (!this.#orm) throw new Error('the kernel is not started');
    return this.#orm;
  }

  get jobs(): JobRunner {
    if (!this.#jobs) throw new Error('the kernel is not started');
    return this.#jobs;
  }

  get realtime(): RealtimeServer {
    if (!this.#realtime) throw new Error('the kernel is not started');
    return this.#realtime;
  }

  /** The base URL the API listens on (api and all roles). */
  get url(): string {
    const address = this.#http?.address() as AddressInfo | null;
    if (!address) throw new Error('the kernel is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  forkEm = (): EntityManager => this.orm.em.fork() as unknown as EntityManager;

  /** Open the database and apply pending migrations (core, then each plugin in order), nothing else. */
  async migrate(): Promise<string[]> {
    const orm = await this.#openDatabase();
    try {
      return await migrate(orm, !this.embedded);
    } finally {
      await orm.close();
    }
  }

  async start(): Promise<this> {
    const { config, log } = this;
    if (this.embedded) {
      log.info({ dataDir: config.dataDir }, 'embedded mode: PGlite database, in-process jobs and events; for one instance only, not for multi-instance use');
    } else {
      log.info({ redis: Boolean(config.redisUrl), role: this.role }, 'scaled mode: PostgreSQL' + (config.redisUrl ? ', Redis (BullMQ, socket adapter)' : ', in-process jobs'));
    }
    const redis = config.redisUrl ? this.#connectRedis(config.redisUrl) : undefined;
    const onFailed = (name: string, jobId: string, err: unknown, attempt: number) => log.error({ err, job: name, jobId, attempt }, 'job failed for good');
    const jobs = (this.#jobs = redis
      ? new BullMqJobRunner({ connection: { url: config.redisUrl! }, prefix: this.redisPrefix, onFailed })
      : new InProcessJobRunner({ onFailed }));

    const bus = (this.#bus = new DomainEventBus({ jobs, forkEm: this.forkEm, wrapJob: this.#wrapJob, log }));
    const orm = (this.#orm = await this.#openDatabase([bus.commitHook()]));
    const applied = await migrate(orm, !this.embedded);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');

    const secret = config.jwtSecret ?? (await serverSecret(this.forkEm()));
    const auth = new AuthService({
      mode: config.authMode,
      forkEm: this.forkEm,
      sessionTokens: new SessionTokens(secret),
      sso: config.authMode === 'sso' ? new SsoVerifier(config.ssoUrl!, config.ssoAudience) : undefined,
      limiter: new LoginLimiter(this.#options.loginLimits ?? DEFAULT_LOGIN_LIMITS, redis, this.redisPrefix),
      onApiTokenRevoked: (tokenHash) => realtime.disconnectApiToken(tokenHash),
    });
    const realtime: RealtimeServer = (this.#realtime = new RealtimeServer({
      authenticator: auth,
      forkEm: this.forkEm,
      log: log.child({ component: 'realtime' }),
      corsOrigins: config.corsOrigins,
      redis: redis ? this.#connectRedis(config.redisUrl!) : undefined,
      redisPrefix: this.redisPrefix,
      overlayKeyIsCurrent: (key: string): Promise<boolean> => overlayKeys.isCurrent(this.forkEm(), key),
      assertOwnsSession: async (em, creatorId, sessionId) => {
        await sessions.owned(em, creatorId, sessionId);
      },
    }));
    const overlayKeys: OverlayKeys = new OverlayKeys(realtime);
    const sessions = new SessionService(bus, {
      started: (s) => {
        overlayKeys.follow(s.creatorId, s.id, 'active');
        realtime.toSessionAndCreator(s.id, s.creatorId).emit('session_updated', sessionUpdate(s));
      },
      ended: (s) => {
        realtime.toSessionAndCreator(s.id, s.creatorId).emit('session_updated', sessionUpdate(s));
        overlayKeys.follow(s.creatorId, s.id, 'ended');
      },
      updated: (s) => realtime.toSession(s.id).emit('session_updated', sessionUpdate(s)),
    });

    const registry = new RouteRegistry();
    const coreHttp = registry.registrar('core');
    registerHealthRoutes(coreHttp, { orm, redis });
    registerAuthRoutes(coreHttp, auth);
    registerSessionRoutes(coreHttp, sessions);
    registerOverlayKeyRoutes(coreHttp, overlayKeys);
    registerSessionSocketEvents(realtime, sessions);
    // A (re)loaded overlay gets the current state at once, so it is never blank mid-stream.
    realtime.onOverlay('join_overlay', async (socket, payload) => {
      const session = await overlayKeys.join(this.forkEm(), socket, payload);
      if (!session) return;
      emitNow(socket, 'session_updated', sessionUpdate(session));
      await realtime.sendOverlayState(socket, session.id, session.creatorId);
    });
    realtime.onOverlay('leave_overlay', (socket) => overlayKeys.leave(socket));

    const host = (this.#host = new PluginHost({
      log,
      registry,
      realtime,
      bus,
      jobs,
      forkEm: this.forkEm,
      wrapJob: this.#wrapJob,
      core: { sessions },
    }));
    for (const plugin of this.plugins) await host.setup(plugin, this.#pluginConfigs.get(plugin.id));

    if (this.role !== 'worker') await this.#listen(registry, auth, realtime);

    // Workers last: every subscriber exists before the first event is handled.
    if (this.role !== 'api' || jobs.kind === 'in-process') await jobs.start();
    await bus.dispatch();
    bus.startSweep(this.#options.outboxSweepMs ?? 5_000);
    return this;
  }

  /** The HTTP server: docs, the API, the extra routers; sockets on the same port. */
  async #listen(registry: RouteRegistry, auth: AuthService, realtime: RealtimeServer): Promise<void> {
    const { config, log } = this;
    const router = registry.buildRouter({ authenticator: auth, forkEm: this.forkEm, validateResponses: !config.production });
    let document: object | undefined;
    const docs = openApiRoutes(() => (document ??= buildOpenApiDocument(registry.routes, { title: 'Streaming Companion API', version: KERNEL_VERSION })));
    const app = createHttpApp({ log, corsOrigins: config.corsOrigins, trustProxy: config.trustProxy, routers: [docs, router, ...(this.#options.routers ?? [])] });
    const handle = app.callback();
    const server = (this.#http = createServer((req, res) => {
      // A keep-alive connection must not outlive stop(): once stopping, every reply closes it.
      if (this.#stopping) res.setHeader('connection', 'close');
      this.#openResponses.add(res);
      res.once('close', () => this.#openResponses.delete(res));
      return handle(req, res);
    }));
    realtime.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    log.info({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${(server.address() as AddressInfo).port}` }, 'listening');
  }

  /** Until no outbox row is pending and no job is waiting or running (events can publish events). */
  async drain(): Promise<void> {
    for (;;) {
      await this.#bus!.dispatch();
      await this.jobs.drain();
      if ((await this.forkEm().count(OutboxEvent, { dispatchedAt: null })) === 0) return;
    }
  }

  /** Stop accepting, finish in-flight requests and jobs, then close sockets, plugins, Redis and the database. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const closing = this.#http ? new Promise<void>((resolve) => this.#http!.close(() => resolve())) : Promise.resolve();
      for (const res of this.#openResponses) if (!res.headersSent) res.setHeader('connection', 'close');
      await this.#realtime?.close();
      await closing;
      await this.#jobs?.stop();
      await this.#bus?.stop();
      await this.#host?.stop();
      await Promise.all(this.#redis.map((r) => r.quit().catch(() => r.disconnect())));
      await this.#orm?.close();
      this.log.info('stopped');
    })();
    return this.#stopping;
  }

  #openDatabase(subscribers: Parameters<typeof openDatabase>[0]['subscribers'] = []): Promise<Orm> {
    return openDatabase({
      databaseUrl: this.config.databaseUrl,
      dataDir: this.config.dataDir,
      entities: [...Object.values(coreEntities), ...this.plugins.flatMap((p) => p.entities ?? [])],
      migrations: [
        ...coreMigrations.map((migration) => ({ owner: 'core', migration })),
        ...this.plugins.flatMap((p) => (p.migrations ?? []).map((migration) => ({ owner: p.id, migration }))),
      ],
      subscribers,
      log: this.log,
    });
  }

  #connectRedis(url: string): Redis {
    const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    client.on('error', (err) => this.log.warn({ err }, 'redis connection error'));
    this.#redis.push(client);
    return client;
  }

  #wrapJob = (name: string, handler: (data: unknown, ctx: JobContext) => Promise<void> | void) => {
    return async (data: unknown, info: { jobId: string; attempt: number }) => {
      await handler(data, { ...info, em: this.forkEm(), log: this.log.child({ job: name, jobId: info.jobId, attempt: info.attempt }) });
    };
  };
}
