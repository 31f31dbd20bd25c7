import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import type { Plugin } from '@streaming-companion/sdk';

/** The first-party plugins this server runs, in one explicit list. Order is resolved from their dependencies. */
export const plugins: Plugin[] = [tipsPlugin, goalsPlugin];
