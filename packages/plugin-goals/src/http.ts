import type { HttpRegistrar } from '@streaming-companion/sdk';
import { z } from 'zod';
import type { GoalProgressService } from './goal-progress.ts';
import { TipGoalDto } from './contract.ts';
import { CreateGoalBody, GoalList, UpdateGoalBody } from './schemas.ts';

const IdParams = z.object({ id: z.uuid() });
const tags = ['goals'];

/** The spec's `/api/goals` routes: thin adapters over GoalProgressService. */
export function registerGoalRoutes(http: HttpRegistrar, goals: GoalProgressService): void {
  http.post(
    '/api/goals',
    {
      auth: 'creator',
      tags,
      summary: 'Create a tip goal in one of your sessions',
      description: 'Inserted at `order` (0 = first), or appended. Emits `goal_progress` for it.',
      status: 201,
      body: CreateGoalBody,
      response: TipGoalDto,
    },
    (req) => goals.create(req.em, req.creator.id, req.body),
  );

  http.get(
    '/api/goals',
    {
      auth: 'creator',
      tags,
      summary: "List a session's goals in order",
      description: 'The first goal that is not completed is `active`; the ones after it are `pending`.',
      query: z.object({ sessionId: z.uuid() }),
      response: GoalList,
    },
    async (req) => ({ items: await goals.list(req.em, req.creator.id, req.query.sessionId) }),
  );

  http.patch(
    '/api/goals/:id',
    {
      auth: 'creator',
      tags,
      summary: 'Edit or reorder a goal',
      description:
        '`order` moves the goal to that position. A target at or below the amount already reached completes the goal. A completed goal keeps its target (409).',
      params: IdParams,
      body: UpdateGoalBody,
      response: TipGoalDto,
    },
    (req) => goals.update(req.em, req.creator.id, req.params.id, req.body),
  );

  http.delete(
    '/api/goals/:id',
    { auth: 'creator', tags, summary: 'Delete a goal (the next one becomes active if it was)', params: IdParams, status: 204 },
    async (req) => {
      await goals.remove(req.em, req.creator.id, req.params.id);
    },
  );
}
