import { z } from 'zod';
import type { LoginLimits } from './auth/login-limiter.ts';

/** Reported when the environment is invalid: every bad variable at once, before any I/O. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const port = z.coerce.number().int().min(1).max(65_535);
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A comma-separated variable as a list, blanks dropped. */
export const splitList = (value: string | undefined): string[] => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);

const list = z.string().default('').transform(splitList);
const limit = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const EnvSchema = z.object({
  // 0 asks the OS for a free port (the "listening" log line reports the bound one).
  PORT: z.coerce.number().int().min(0).max(65_535).default(3130),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  POSTGRES_HOST: optionalString,
  POSTGRES_PORT: port.default(5432),
  POSTGRES_USER: z.string().default('streaming'),
  POSTGRES_PASSWORD: z.string().default(''),
  POSTGRES_DB: z.string().default('streaming_companion'),
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  REDIS_HOST: optionalString,
  REDIS_PORT: port.default(6379),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1 to 32 letters, digits, _ or -')
    .default('sc'),
  DATA_DIR: z.string().default('./.data'),
  AUTH_MODE: z.enum(['local', 'sso']).default('local'),
  SSO_URL: optionalString.pipe(z.url().optional()),
  SSO_AUDIENCE: optionalString,
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  SECRETS_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.union([z.literal('*'), z.url()]))),
  NODE_ENV: z.string().default('development'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  PLUGINS: list,
  PLUGINS_DISABLE: list,
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: limit(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: limit(30),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: limit(100),
  SIGNUP_MAX_PER_ADDRESS: limit(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(15 * 60),
  JOBS_YIELD_MS: z.coerce.number().int().min(0).max(60_000).default(100),
});

export type Env = z.input<typeof EnvSchema>;

export interface KernelConfig {
  port: number;
  host: string;
  /** Postgres connection string; absent means embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Starts every Redis key, queue and stream, so deployments can share one Redis. */
  redisPrefix: string;
  dataDir: string;
  authMode: 'local' | 'sso';
  ssoUrl: string | undefined;
  ssoAudience: string | undefined;
  jwtSecret: string | undefined;
  /** What platform tokens are sealed with at rest; generated and kept in the database when absent. */
  secretsKey: string | undefined;
  logLevel: string;
  corsOrigins: string[];
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  production: boolean;
  /** Plugins to load besides the first-party set: npm package names or paths. */
  plugins: string[];
  /** First-party plugin ids to leave out. */
  pluginsDisable: string[];
  /** Login and signup throttling (failures per window). */
  loginLimits: LoginLimits;
  /** How long a background job waits for the requests in flight before it runs anyway; 0 never. */
  jobsYieldMs: number;
}

/** Read and validate the environment. Throws `ConfigError` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): KernelConfig {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // Checked on the raw value too, so it is listed alongside the other problems rather than after they are fixed.
  if (env.AUTH_MODE === 'sso' && !env.SSO_URL?.trim()) {
    problems.push('SSO_URL: required when AUTH_MODE=sso (the OpenID issuer URL)');
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? postgresUrlFromParts(e),
    redisUrl: e.REDIS_URL ?? (e.REDIS_HOST ? `redis://${e.REDIS_HOST}:${e.REDIS_PORT}` : undefined),
    redisPrefix: e.REDIS_PREFIX,
    dataDir: e.DATA_DIR,
    authMode: e.AUTH_MODE,
    ssoUrl: e.SSO_URL,
    ssoAudience: e.SSO_AUDIENCE,
    jwtSecret: e.JWT_SECRET,
    secretsKey: e.SECRETS_KEY,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY === 'true',
    production: e.NODE_ENV === 'production',
    plugins: e.PLUGINS,
    pluginsDisable: e.PLUGINS_DISABLE,
    loginLimits: {
      failuresPerAccountAddress: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
      failuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      failuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      signupsPerAddress: e.SIGNUP_MAX_PER_ADDRESS,
      windowSeconds: e.LOGIN_WINDOW_SECONDS,
    },
    jobsYieldMs: e.JOBS_YIELD_MS,
  };
}

function postgresUrlFromParts(e: z.output<typeof EnvSchema>): string | undefined {
  if (!e.POSTGRES_HOST) return undefined;
  const auth = e.POSTGRES_PASSWORD
    ? `${encodeURIComponent(e.POSTGRES_USER)}:${encodeURIComponent(e.POSTGRES_PASSWORD)}`
    : encodeURIComponent(e.POSTGRES_USER);
  return `postgres://${auth}@${e.POSTGRES_HOST}:${e.POSTGRES_PORT}/${encodeURIComponent(e.POSTGRES_DB)}`;
}
