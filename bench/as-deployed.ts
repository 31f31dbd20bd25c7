/**
 * What every measured server runs with, as an operator deploys it: `NODE_ENV=production`, which
 * turns off the checks only development pays for (each answer and each event payload parsed
 * again against its schema). Requests and socket commands are validated either way.
 */
export const AS_DEPLOYED = { NODE_ENV: 'production' } as const;
