/**
 * The SDK without the ORM: event contracts, DTOs, enums, input schemas, problems and service refs.
 * A plugin's `contract.ts` imports from here, so an integration (the client, a bot) can load the
 * plugins' contracts at run time with neither MikroORM nor a database driver installed.
 *
 * @module @streaming-companion/sdk/contracts
 */
export type { CreatorIdentity, Logger } from './context-types.ts';
export { CONNECTOR_STATES, ConnectorStatus, type ConnectorEvent, type ConnectorEventKind, type ConnectorState, type ConnectorViewer } from './connectors.ts';
export * from './wire.ts';
export {
  defineEvents,
  EventPayloadError,
  parsePayload,
  type AnyEventContract,
  type AnyEventRef,
  type CommandRef,
  type DomainEvent,
  type DomainEventRef,
  type EventContract,
  type EventRefBase,
  type EventsSpec,
  type OverlayEventMap,
  type PayloadInput,
  type PayloadOf,
  type SocketEventMap,
  type SocketEventRef,
} from './events.ts';
export type * from './http.ts';
export { cleanViewerText, parseQueryDate, queryDate, QUERY_DATE_MAX_YEAR, QUERY_DATE_MIN_YEAR, viewerText } from './input-schemas.ts';
export type * from './jobs.ts';
export * from './kernel-contract.ts';
export { definePlugin, isPlugin, packageManifest } from './plugin.ts';
export type { Database, Plugin, PluginContext, PluginDefinition, PluginDependency, PluginManifest, PluginMigration, PluginPackageJson } from './plugin.ts';
export { conflict, forbidden, notFound, Problem, unprocessable, type ProblemFieldError } from './problems.ts';
export type * from './realtime.ts';
export {
  coreServices,
  type Clock,
  type CreatorsService,
  createServiceRef,
  dependencyOwner,
  optional,
  type Dependency,
  type OptionalDependency,
  type ResolvedDeps,
  type SecretsService,
  type ServiceRef,
  type SessionsService,
  type StartSession,
  type TipTotals,
} from './services.ts';
/**
 * The entity manager handlers, jobs and subscribers receive (MikroORM's SQL flavour). A type only:
 * nothing of the ORM is loaded at run time from this entry.
 */
export type { EntityManager } from '@mikro-orm/sql';
