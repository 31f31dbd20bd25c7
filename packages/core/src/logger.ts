import { pino, type Logger as PinoLogger } from 'pino';

export type { PinoLogger };

/** JSON lines in production and pipes; readable lines when a person is watching a terminal. */
export function createLogger(level: string, options: { pretty?: boolean } = {}): PinoLogger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production');
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'password', 'token', '*.password', '*.token'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}
