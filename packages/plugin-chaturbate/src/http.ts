import type { HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { ChaturbateConfig } from './config.ts';
import type { ConnectionSettings } from './connection-settings.ts';
import { ConnectorStatus } from './contract.ts';
import { parseEventsUrl } from './events-url.ts';

const tags = ['connectors'];

export interface ConnectorRouteDependencies {
  settings: ConnectionSettings;
  config: Pick<ChaturbateConfig, 'baseUrl' | 'centsPerToken'>;
}

/** `/api/connectors/chaturbate`: thin adapters over ConnectionSettings. The URL and its token never come back out. */
export function registerConnectorRoutes(http: HttpRegistrar, { settings, config }: ConnectorRouteDependencies): void {
  const SaveConnection = z
    .object({
      eventsUrl: z
        .string()
        .trim()
        .max(1_000, 'must be at most 1000 characters')
        .meta({ description: `Your Events API URL, from Chaturbate's Broadcast settings: ${config.baseUrl}<username>/<token>/`, format: 'uri' })
        .transform((value, ctx) => {
          const parsed = parseEventsUrl(value, config.baseUrl);
          if (typeof parsed !== 'string') return parsed;
          // The message never quotes the value: it carries the token.
          ctx.issues.push({ code: 'custom', message: parsed, input: '' });
          return z.NEVER;
        }),
      autoSession: z.boolean().default(false).meta({ description: 'Start and end the session when the broadcast starts and stops on Chaturbate' }),
      centsPerToken: z
        .int('must be a whole number of cents')
        .positive('must be greater than 0')
        .max(10_000)
        .default(config.centsPerToken)
        .meta({ description: 'What one token is worth to you, in cents' }),
    })
    .strict();

  http.put(
    '/api/connectors/chaturbate',
    {
      auth: 'creator',
      tags,
      summary: 'Connect your Chaturbate Events API URL (it is kept sealed and never shown again)',
      description: 'Saving starts over from the current position of the Events API. While a Chaturbate session of yours is live (or always, with `autoSession`), events are followed at once.',
      body: SaveConnection,
      response: ConnectorStatus,
    },
    (req) => settings.save(req.em, req.creator.id, req.body),
  );
  http.get('/api/connectors/chaturbate', { auth: 'creator', tags, summary: 'Your Chaturbate connection: its state and counters', response: ConnectorStatus }, (req) =>
    settings.status(req.em, req.creator.id),
  );
  http.delete('/api/connectors/chaturbate', { auth: 'creator', tags, summary: 'Stop following Chaturbate and forget the Events URL', status: 204 }, async (req) => {
    await settings.disconnect(req.em, req.creator.id);
  });
}
