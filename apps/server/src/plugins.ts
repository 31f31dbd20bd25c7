import { analyticsPlugin } from '@streaming-companion/plugin-analytics';
import { animationsPlugin } from '@streaming-companion/plugin-animations';
import { chatbotPlugin } from '@streaming-companion/plugin-chatbot';
import { chaturbatePlugin } from '@streaming-companion/plugin-chaturbate';
import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { rehearsalPlugin } from '@streaming-companion/plugin-rehearsal';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { ttsPlugin } from '@streaming-companion/plugin-tts';
import { webhooksPlugin } from '@streaming-companion/plugin-webhooks';
import { widgetsPlugin } from '@streaming-companion/plugin-widgets';
import type { Plugin } from '@streaming-companion/sdk';

/**
 * The first-party plugins this server runs. `PLUGINS` adds more (npm package names or paths),
 * `PLUGINS_DISABLE` removes some; order is resolved from their dependencies.
 */
export const firstPartyPlugins: Plugin<any>[] = [tipsPlugin, goalsPlugin, animationsPlugin, menuPlugin, analyticsPlugin, rehearsalPlugin, chaturbatePlugin, chatbotPlugin, ttsPlugin, widgetsPlugin, webhooksPlugin];
