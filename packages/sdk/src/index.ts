/**
 * Everything a plugin is written with: the ORM-free contracts (also published alone as
 * `@streaming-companion/sdk/contracts`) and what maps and queries its tables.
 *
 * MikroORM's `defineEntity`, `p`, `LockMode`, `raw` and `EntityManager` are re-exported as they
 * are, and documented by MikroORM: https://mikro-orm.io/docs/define-entity.
 *
 * @module @streaming-companion/sdk
 */
export * from './contracts.ts';
/** What plugins map their tables with: MikroORM's `defineEntity` and its property builder `p`. */
export { defineEntity, LockMode, p, raw } from '@mikro-orm/core';
export { preparedQuery } from './prepared-query.ts';
