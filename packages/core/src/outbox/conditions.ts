import type { EntityManager } from '@mikro-orm/sql';
import { preparedQuery, type DomainEvent, type JobContext, type SqlCondition } from '@streaming-companion/sdk';

/** A subscriber's `when`: a function, or SQL the kernel can ask together with other subscribers'. */
export type Condition = ((event: DomainEvent, job: JobContext) => Promise<boolean> | boolean) | SqlCondition<DomainEvent>;

export const isSql = (condition: Condition): condition is SqlCondition<DomainEvent> => typeof condition !== 'function';

/** Whether one subscriber's `when` holds for the event. */
export async function holds(condition: Condition, event: DomainEvent, job: JobContext): Promise<boolean> {
  if (!isSql(condition)) return condition(event, job);
  const [held] = await allHold(job.em as unknown as EntityManager, [condition], event);
  return held!;
}

/** Several SQL conditions for one event, in one statement: `select (a) as c0, (b) as c1, …`. */
export async function allHold(em: EntityManager, conditions: readonly SqlCondition<DomainEvent>[], event: DomainEvent): Promise<boolean[]> {
  const columns = conditions.map((condition, i) => `(${condition.sql}) as c${i}`).join(', ');
  const [row] = await preparedQuery(em, `select ${columns}`, conditions.flatMap((condition) => [...condition.params(event)]));
  return conditions.map((_, i) => row![`c${i}`] === true);
}
