import { ConnectorStatus, defineEvents } from '@streaming-companion/sdk/contracts';

/** The platform-neutral connector types live in the SDK; re-exported for this plugin's users. */
export { CONNECTOR_STATES, ConnectorStatus, type ConnectorEvent, type ConnectorEventKind, type ConnectorState, type ConnectorViewer } from '@streaming-companion/sdk/contracts';

/** The Chaturbate connector's events: its status, to every socket of the creator (not to overlays). */
export const chaturbateEvents = defineEvents('chaturbate', {
  socket: { connector_status: ConnectorStatus },
});
