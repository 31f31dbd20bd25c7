import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

/**
 * A key the server needs when the operator did not give one (`JWT_SECRET`, `SECRETS_KEY`):
 * made once, kept in the database, so every instance and every restart agrees on it without
 * an operator step.
 */
export async function serverSecret(em: EntityManager, key: 'jwt_secret' | 'secrets_key'): Promise<string> {
  await em.execute(`insert into core_settings (key, value) values (?, ?) on conflict (key) do nothing`, [key, randomBytes(48).toString('base64url')]);
  const [row] = await em.execute<Array<{ value: string }>>(`select value from core_settings where key = ?`, [key]);
  return row!.value;
}
