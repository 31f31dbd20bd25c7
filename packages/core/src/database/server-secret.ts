import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

/**
 * The key login tokens are signed with when JWT_SECRET is not set: made once, kept in the
 * database, so every instance and every restart agrees on it without an operator step.
 */
export async function serverSecret(em: EntityManager): Promise<string> {
  await em.execute(`insert into core_settings (key, value) values ('jwt_secret', ?) on conflict (key) do nothing`, [randomBytes(48).toString('base64url')]);
  const [row] = await em.execute<Array<{ value: string }>>(`select value from core_settings where key = 'jwt_secret'`);
  return row!.value;
}
