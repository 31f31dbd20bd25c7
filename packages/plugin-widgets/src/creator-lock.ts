import type { EntityManager } from '@streaming-companion/sdk';

/**
 * Inside a transaction: hold this creator's widgets (settings and uploads) until it ends. A
 * save, an upload and a delete of one creator go one at a time, so a save never names an upload
 * being deleted, nor two uploads pass the count together.
 */
export async function lockCreatorWidgets(tx: EntityManager, creatorId: string): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`widgets:${creatorId}`]);
}
