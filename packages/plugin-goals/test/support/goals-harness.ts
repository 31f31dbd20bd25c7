import { definePlugin, type DomainEvent, type StreamSessionUpdate } from '@streaming-companion/sdk';
import { type TestKernel, type TestResponse, type TestSocket } from '@streaming-companion/testing';
import { expect } from 'vitest';
import { z } from 'zod';
import { goalEvents, goalsServiceRef, type GoalCompleted, type GoalProgress } from '../../src/index.ts';

/**
 * A plugin that stands where other plugins would: it counts every delivery of
 * `streaming.goal.completed` (no dedupe of its own, so a double delivery shows) and exposes
 * the goals service ref through a route.
 */
export function createGoalProbe() {
  const completions: Array<DomainEvent<typeof goalEvents.domain['streaming.goal.completed']>> = [];
  const plugin = definePlugin({
    id: 'goal-probe',
    version: '0.0.0',
    engine: '*',
    deps: { goals: goalsServiceRef, goalEvents },
    setup(ctx, { goals, goalEvents }) {
      ctx.events.on(goalEvents.domain['streaming.goal.completed'], (event) => {
        completions.push(event);
      });
      ctx.http.get('/api/goal-probe/active', { auth: 'creator', query: z.object({ sessionId: z.uuid() }) }, async (req) => ({
        active: await goals.activeGoal(req.em, req.creator.id, req.query.sessionId),
      }));
    },
  });
  return { plugin, completions };
}

export type Received = { event: 'goal_progress'; payload: GoalProgress } | { event: 'goal_completed'; payload: GoalCompleted };

/** The kernel internals the redelivery test reaches for (the test kit types them as unknown). */
export interface KernelInternals {
  forkEm(): { execute<T>(sql: string, params?: unknown[]): Promise<T> };
  jobs: { enqueue(name: string, data: unknown, options?: { jobId?: string }): Promise<void> };
}

/** A creator with a live session, an overlay socket joined to it, and everything it received. */
export class LiveSession {
  readonly received: Received[] = [];
  readonly t: TestKernel;
  readonly token: string;
  readonly creatorId: string;
  readonly sessionId: string;
  /** A `/streaming/overlay` client joined to the session, as OBS would be. */
  readonly overlay: TestSocket;
  /** The creator's `/streaming` client, used to send the settle marker. */
  readonly control: TestSocket;
  #barrier = 0;

  private constructor(t: TestKernel, token: string, creatorId: string, sessionId: string, overlay: TestSocket, control: TestSocket) {
    this.t = t;
    this.token = token;
    this.creatorId = creatorId;
    this.sessionId = sessionId;
    this.overlay = overlay;
    this.control = control;
    overlay.on('goal_progress', (payload) => this.received.push({ event: 'goal_progress', payload }));
    overlay.on('goal_completed', (payload) => this.received.push({ event: 'goal_completed', payload }));
  }

  static async start(t: TestKernel): Promise<LiveSession> {
    const { token, creator } = await t.createCreator();
    const started = await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const overlay = await t.overlaySocket();
    expect(await overlay.emitWithAck('join_overlay', { sessionId: started.body.id })).toMatchObject({ ok: true });
    const control = await t.socket(token);
    return new LiveSession(t, token, creator.id, started.body.id, overlay, control);
  }

  async createGoal(body: { title: string; targetCents: number; description?: string; order?: number }) {
    const res = await this.t.http.post('/api/goals', { token: this.token, body: { sessionId: this.sessionId, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Goal;
  }

  async goals(): Promise<Goal[]> {
    const res = await this.t.http.get(`/api/goals?sessionId=${this.sessionId}`, { token: this.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  }

  async tip(amountCents: number) {
    const res = await this.t.http.post('/api/tips', { token: this.token, body: { sessionId: this.sessionId, amountCents } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  }

  /**
   * Wait until every event handler has run (`drain`) and every socket event they emitted has
   * reached the overlay: socket.io keeps order per connection, so once a `session_updated`
   * emitted afterwards arrives, everything before it has. Returns what arrived since the last call.
   */
  async settle(): Promise<Received[]> {
    await this.t.drain();
    const viewerCount = 1_000 + ++this.#barrier;
    const marker = new Promise<void>((resolve) => {
      const onUpdate = (payload: StreamSessionUpdate) => {
        if (payload.viewerCount !== viewerCount) return;
        this.overlay.off('session_updated', onUpdate);
        resolve();
      };
      this.overlay.on('session_updated', onUpdate);
    });
    expect(await this.control.emitWithAck('update_viewers', { sessionId: this.sessionId, viewerCount })).toMatchObject({ ok: true });
    await marker;
    return this.received.splice(0);
  }
}

export interface Goal {
  id: string;
  sessionId: string;
  creatorId: string;
  title: string;
  description: string | null;
  targetCents: number;
  currentCents: number;
  percentage: number;
  order: number;
  status: 'pending' | 'active' | 'completed';
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const progress = (goal: Goal, currentCents: number, percentage: number): Received => ({
  event: 'goal_progress',
  payload: { sessionId: goal.sessionId, goalId: goal.id, title: goal.title, currentCents, targetCents: goal.targetCents, percentage },
});

export const completed = (goal: Goal): Received => ({
  event: 'goal_completed',
  payload: { sessionId: goal.sessionId, goalId: goal.id, title: goal.title, targetCents: goal.targetCents },
});

/** A 4xx problem+json naming `field` (when given), with no stack trace. */
export function expectProblem(res: TestResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}
