import type { EntityManager } from '@mikro-orm/sql';
import { coreServices, type Clock, type CreatorsService, type JobContext, type Plugin, type SessionsService } from '@streaming-companion/sdk';
import { asFunction, asValue, createContainer, type AwilixContainer } from 'awilix';
import { Redis } from 'ioredis';
import { AuthService, creatorsService } from './auth/auth-service.ts';
import { SessionTokens } from './auth/credentials.ts';
import { LoginLimiter, type LoginLimits } from './auth/login-limiter.ts';
import { SsoVerifier } from './auth/sso.ts';
import type { KernelConfig } from './config.ts';
import type { Orm } from './database/orm.ts';
import { EventRegistry } from './events/event-registry.ts';
import { Publisher } from './events/publisher.ts';
import { RouteRegistry } from './http/route-registry.ts';
import { BullMqJobRunner } from './jobs/bullmq-runner.ts';
import { Foreground } from './jobs/foreground.ts';
import { InProcessJobRunner } from './jobs/in-process-runner.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import type { PinoLogger } from './logger.ts';
import { Outbox } from './outbox/outbox.ts';
import { DomainSubscribers } from './outbox/subscribers.ts';
import { OverlayJoinHooks } from './overlay/overlay-join-hooks.ts';
import { OverlayKeys } from './overlay/overlay-keys.ts';
import { PluginHost } from './plugins/plugin-host.ts';
import { RealtimeServer } from './realtime/realtime-server.ts';
import { isRedisConnectionError, RedisOutageLog } from './redis-outage-log.ts';
import { CoreSessionsAdapter } from './sessions/core-sessions-adapter.ts';
import { SessionService } from './sessions/session-service.ts';

export type WrapJob = (
  name: string,
  handler: (data: unknown, ctx: JobContext) => Promise<void> | void,
) => (data: unknown, info: { jobId: string; attempt: number }) => Promise<void>;

/** Everything the kernel is made of, by name. */
export interface KernelCradle {
  config: KernelConfig;
  log: PinoLogger;
  plugins: readonly Plugin[];
  redisPrefix: string;
  loginLimits: LoginLimits;
  deliverAfterCommit: boolean;
  /** Registered once open (it needs the outbox's commit hooks first); the kernel closes it last. */
  orm: Orm;
  /** Registered once read from the database or the environment. */
  secret: string;
  forkEm: () => EntityManager;
  /** Requests in flight, which jobs step aside for. */
  foreground: Foreground;
  wrapJob: WrapJob;
  redis: Redis | undefined;
  /** The socket adapter's own connection (it subscribes, so it cannot share one). */
  adapterRedis: Redis | undefined;
  jobs: JobRunner;
  registry: EventRegistry;
  subscribers: DomainSubscribers;
  outbox: Outbox;
  publisher: Publisher;
  auth: AuthService;
  realtime: RealtimeServer;
  overlayKeys: OverlayKeys;
  overlayJoins: OverlayJoinHooks;
  sessions: SessionService;
  routes: RouteRegistry;
  pluginHost: PluginHost;
  'core.sessions': SessionsService;
  'core.creators': CreatorsService;
  'core.clock': Clock;
}

export interface KernelValues {
  config: KernelConfig;
  log: PinoLogger;
  plugins: readonly Plugin[];
  redisPrefix: string;
  /** Field by field over `config.loginLimits` (tests use these). */
  loginLimits?: Partial<LoginLimits>;
  deliverAfterCommit?: boolean;
  clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * The composition root: every kernel service as a lazy singleton factory, with a disposer
 * where it holds something (connections, timers). Factories take what they need from the
 * cradle; closures that reach for a service later (`c.realtime` inside a callback) are how
 * the two cycles (database ↔ outbox hooks, outbox ↔ sockets) stay lazy.
 */
export function createKernelContainer(values: KernelValues): AwilixContainer<KernelCradle> {
  const container = createContainer<KernelCradle>({ strict: true });
  const singleton = <T>(factory: (c: KernelCradle) => T, dispose?: (value: T) => unknown) => {
    const resolver = asFunction(factory).singleton();
    return dispose ? resolver.disposer(dispose) : resolver;
  };
  const { config } = values;
  container.register({
    config: asValue(config),
    log: asValue(values.log),
    plugins: asValue(values.plugins),
    redisPrefix: asValue(values.redisPrefix),
    loginLimits: asValue({ ...config.loginLimits, ...values.loginLimits }),
    deliverAfterCommit: asValue(values.deliverAfterCommit ?? true),
    forkEm: singleton((c) => () => c.orm.em.fork() as unknown as EntityManager),
    foreground: singleton(() => new Foreground(config.jobsYieldMs)),
    wrapJob: singleton((c) => wrapJob(c.forkEm, c.log, c.foreground)),
    redis: singleton((c) => (config.redisUrl ? connectRedis(config.redisUrl, c.log, 'shared') : undefined), quit),
    adapterRedis: singleton((c) => (config.redisUrl ? connectRedis(config.redisUrl, c.log, 'socket adapter') : undefined), quit),
    jobs: singleton(
      (c): JobRunner => {
        const onFailed = (name: string, jobId: string, err: unknown, attempt: number) => c.log.error({ err, job: name, jobId, attempt }, 'job failed for good');
        if (!config.redisUrl) return new InProcessJobRunner({ onFailed });
        // BullMQ passes on every connection error of its clients, queues and workers: one outage, one warning.
        const outage = new RedisOutageLog(c.log, 'jobs');
        return new BullMqJobRunner({
          connection: { url: config.redisUrl },
          prefix: c.redisPrefix,
          onFailed,
          onError: (err) => (outage.down || isRedisConnectionError(err) ? outage.error(err) : c.log.error({ err }, 'job runner error')),
          onReady: () => outage.ready(),
        });
      },
      (jobs) => jobs.stop(),
    ),
    registry: singleton((c) => new EventRegistry(c.plugins, { checkPayloads: !config.production })),
    subscribers: singleton(
      (c) => new DomainSubscribers({ jobs: c.jobs, wrapJob: c.wrapJob, forkEm: c.forkEm, log: c.log }),
      (subscribers) => subscribers.stop(),
    ),
    outbox: singleton(
      (c) => {
        const outbox = new Outbox({
          forkEm: c.forkEm,
          log: c.log,
          deliverAfterCommit: c.deliverAfterCommit,
          delivery: {
            domain: (row) => c.subscribers.deliver(row),
            realtime: (row) => c.realtime.send(row.target ?? {}, row.name, row.payload, row.seq === null ? undefined : { sessionId: row.sessionId!, seq: row.seq }),
          },
        });
        c.subscribers.onSettled((eventId) => void outbox.markDispatched([eventId]));
        return outbox;
      },
      (outbox) => outbox.stop(),
    ),
    publisher: singleton((c) => new Publisher(c.outbox, c.realtime, c.registry)),
    auth: singleton(
      (c) =>
        new AuthService({
          mode: config.authMode,
          forkEm: c.forkEm,
          sessionTokens: new SessionTokens(c.secret),
          sso: config.authMode === 'sso' ? new SsoVerifier(config.ssoUrl!, config.ssoAudience) : undefined,
          limiter: new LoginLimiter(c.loginLimits, c.redis, c.redisPrefix),
          onApiTokenRevoked: (tokenHash) => c.realtime.disconnectApiToken(tokenHash),
        }),
    ),
    realtime: singleton(
      (c) =>
        new RealtimeServer({
          authenticator: c.auth,
          forkEm: c.forkEm,
          log: c.log.child({ component: 'realtime' }),
          corsOrigins: config.corsOrigins,
          redis: c.adapterRedis,
          redisPrefix: c.redisPrefix,
          overlayJoinIsCurrent: (join) => c.overlayKeys.isCurrent(c.forkEm(), join),
          assertOwnsSession: async (em, creatorId, sessionId) => {
            await c.sessions.owned(em, creatorId, sessionId);
          },
          isOverlayEvent: (name) => c.registry.isOverlayEvent(name),
        }),
      (realtime) => realtime.close(),
    ),
    overlayKeys: singleton((c) => new OverlayKeys(c.realtime)),
    overlayJoins: singleton((c) => new OverlayJoinHooks(c.log, (ref, payload) => c.registry.payload(ref, payload))),
    sessions: singleton(
      (c) =>
        new SessionService(
          c.publisher,
          (session) => c.overlayKeys.follow(session),
          c['core.clock'],
        ),
    ),
    [coreServices.sessions.id]: singleton((c) => new CoreSessionsAdapter(c.sessions)),
    [coreServices.creators.id]: asValue(creatorsService),
    [coreServices.clock.id]: asValue(values.clock ?? systemClock),
    routes: singleton(() => new RouteRegistry()),
    pluginHost: singleton((c) => new PluginHost(container, c), (host) => host.stop()),
  });
  return container;
}

/**
 * Dispose the singletons in the reverse of the order they were made in (a service is made
 * after what it depends on), one at a time: awilix's own `dispose()` runs every disposer at
 * once, which would close the database under a plugin still stopping.
 */
export async function disposeInReverse(container: AwilixContainer): Promise<void> {
  const entries = [...container.cache.entries()].reverse();
  container.cache.clear();
  for (const [, { resolver, value }] of entries) {
    const dispose = (resolver as { dispose?: (value: unknown) => unknown }).dispose;
    if (dispose) await dispose(value);
  }
}

function connectRedis(url: string, log: PinoLogger, connection: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false, enableAutoPipelining: true });
  return new RedisOutageLog(log, connection).watch(client);
}

const quit = async (client: Redis | undefined) => {
  await client?.quit().catch(() => client.disconnect());
};

function wrapJob(forkEm: () => EntityManager, log: PinoLogger, foreground: Foreground): WrapJob {
  return (name, handler) => async (data, info) => {
    await foreground.idle();
    await handler(data, { ...info, em: forkEm(), log: log.child({ job: name, jobId: info.jobId, attempt: info.attempt }) });
  };
}
