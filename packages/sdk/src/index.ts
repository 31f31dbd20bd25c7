export * from './domain.ts';
export { definePlugin } from './plugin.ts';
export type * from './plugin.ts';
export { Problem, conflict, forbidden, notFound, unprocessable, type ProblemFieldError } from './problems.ts';
export { coreServiceRefs, createServiceRef, type ServiceRef, type SessionsService } from './services.ts';
