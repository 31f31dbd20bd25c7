export * from './domain.ts';
export { definePlugin } from './plugin.ts';
export type * from './plugin.ts';
export { Problem, conflict, forbidden, notFound, unprocessable, type ProblemFieldError } from './problems.ts';
export { coreServiceRefs, createServiceRef, type ServiceRef, type SessionsService } from './services.ts';
/** The entity manager handlers, jobs and subscribers receive (MikroORM's SQL flavour). */
export type { EntityManager } from '@mikro-orm/sql';
