import { Problem, type Clock, type EntityManager, type SessionsService, type StreamPlatform } from '@streaming-companion/sdk';
import type { AnalyticsConfig } from './config.ts';
import type { AnalyticsSummary, Interval, TopTippers } from './contract.ts';
import { planRead, type ReadPlan } from './periods.ts';
import { resolveRange, type ResolvedRange } from './range.ts';
import * as q from './report-queries.ts';
import { countTippers, rankTippers } from './tipper-ranking.ts';

export interface ReportQuery {
  sessionId?: string;
  platform?: StreamPlatform;
  from?: string;
  to?: string;
  tz: string;
  interval?: Interval;
}

export interface ReportsDependencies {
  sessions: SessionsService;
  clock: Clock;
  config: AnalyticsConfig;
}

/** The figures the routes answer, assembled from the report queries. */
export class Reports {
  readonly #d: ReportsDependencies;

  constructor(dependencies: ReportsDependencies) {
    this.#d = dependencies;
  }

  async summary(em: EntityManager, creatorId: string, query: ReportQuery): Promise<AnalyticsSummary> {
    const { filter, range } = await this.#filter(em, creatorId, query);
    const plan = readPlan(filter);
    const [sessions, periods, rawTotals, rawTippers, histogram, curve, goals, menuItems, bestMinute] = await Promise.all([
      q.sessionsInRange(em.fork(), filter),
      q.periodRows(em.fork(), filter, plan),
      q.rawTotals(em.fork(), filter, plan),
      q.rawTippers(em.fork(), filter, plan),
      q.amountHistogram(em.fork(), filter, plan),
      q.curve(em.fork(), filter, range.interval, range.tz),
      q.goalCompletions(em.fork(), filter),
      q.menuSales(em.fork(), filter),
      filter.sessionId ? q.bestMinute(em.fork(), { ...filter, sessionId: filter.sessionId }) : null,
    ]);
    const totals = sumTotals([rawTotals, ...periods]);
    const { tipCount, totalCents } = totals;
    const averageCents = tipCount ? Math.round(totalCents / tipCount) : 0;
    const medianCents = median(histogram);
    const rate = this.#centsPerToken(filter, sessions);
    const inTokens = (cents: number) => Math.round((cents / rate!) * 100) / 100;
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      tz: range.tz,
      interval: range.interval,
      sessionId: filter.sessionId,
      platform: filter.platform,
      sessionCount: sessions.sessionCount,
      tipCount,
      totalCents,
      averageCents,
      medianCents,
      biggestCents: totals.biggestCents,
      uniqueTippers: countTippers(
        periods.map((p) => p.tipperBits),
        rawTippers.keys(),
      ),
      anonymous: {
        tipCount: totals.anonymousCount,
        totalCents: totals.anonymousCents,
        tipShare: share(totals.anonymousCount, tipCount),
        amountShare: share(totals.anonymousCents, totalCents),
      },
      tokens: rate
        ? { centsPerToken: rate, total: inTokens(totalCents), average: inTokens(averageCents), median: inTokens(medianCents), biggest: inTokens(totals.biggestCents) }
        : null,
      bestMinute,
      curve: curve.map((point) => ({ ...point, start: point.start.toISOString() })),
      goals,
      menuItems,
    };
  }

  /** The named tippers who gave most, and the anonymous tips as one entry among them, never merged with a name. */
  async topTippers(em: EntityManager, creatorId: string, query: ReportQuery & { limit: number }): Promise<TopTippers> {
    const { filter, range } = await this.#filter(em, creatorId, query);
    const plan = readPlan(filter);
    const [sessions, periods, rawTotals, rawTippers] = await Promise.all([
      q.sessionsInRange(em.fork(), filter),
      q.periodRows(em.fork(), filter, plan),
      q.rawTotals(em.fork(), filter, plan),
      q.rawTippers(em.fork(), filter, plan),
    ]);
    const segments = periods.filter((p) => p.tipperCount > 0);
    const top = await rankTippers(
      {
        segmentCount: segments.length,
        ranked: (depth) => q.rankedInSegments(em.fork(), creatorId, segments, depth),
        totals: (tipperNos) => q.totalsInSegments(em.fork(), creatorId, segments, tipperNos),
        rawTippers,
      },
      query.limit,
    );
    const names = await q.tipperNames(em.fork(), creatorId, top.map((t) => t.tipperNo));
    const entries = top.map(({ tipperNo, ...given }) => ({ tipperName: names.get(tipperNo)!, anonymous: false, ...given }));
    const totals = sumTotals([rawTotals, ...periods]);
    if (totals.anonymousCount > 0) {
      entries.push({ tipperName: 'Anonymous', anonymous: true, tipCount: totals.anonymousCount, totalCents: totals.anonymousCents, lastTipAt: totals.anonymousLastAt! });
    }
    entries.sort((a, b) => b.totalCents - a.totalCents || b.lastTipAt.getTime() - a.lastTipAt.getTime());
    const rate = this.#centsPerToken(filter, sessions);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      items: entries.slice(0, query.limit).map((t) => ({
        ...t,
        totalTokens: rate ? Math.round((t.totalCents / rate) * 100) / 100 : null,
        lastTipAt: t.lastTipAt.toISOString(),
      })),
    };
  }

  /** The filter and range of a query; a session filter must be the creator's, and gives the default range (its span). */
  async filter(em: EntityManager, creatorId: string, query: ReportQuery): Promise<q.ReportFilter & { range: ResolvedRange }> {
    const { filter, range } = await this.#filter(em, creatorId, query);
    return { ...filter, range };
  }

  async #filter(em: EntityManager, creatorId: string, query: ReportQuery) {
    const now = this.#d.clock.now();
    let span: { from: Date; to: Date } | undefined;
    if (query.sessionId) {
      const session = await this.#d.sessions.require(em, creatorId, query.sessionId).catch((error: unknown) => {
        // A query parameter, not a body field: say so.
        if (error instanceof Problem && error.status === 404) {
          throw new Problem(404, 'session_not_found', 'query.sessionId: no session of yours has this id', {
            errors: [{ field: 'query.sessionId', rule: 'exists', message: 'no session of yours has this id' }],
          });
        }
        throw error;
      });
      // Through its end (tips are recorded up to it), or up to now while it is live.
      span = { from: new Date(session.startedAt), to: new Date((session.endedAt ? new Date(session.endedAt) : now).getTime() + 1_000) };
    }
    const range = resolveRange(query, now, span);
    const filter: q.ReportFilter = { creatorId, from: range.from, to: range.to, sessionId: query.sessionId ?? null, platform: query.platform ?? null };
    return { filter, range };
  }

  /** The token rate of the one platform the figures are from (filtered by it, or all the range's sessions on it); null otherwise. */
  #centsPerToken(filter: q.ReportFilter, sessions: q.SessionsInRange): number | null {
    const platform = filter.platform ?? (sessions.platforms.length === 1 ? sessions.platforms[0]! : null);
    return platform ? (this.#d.config.centsPerToken[platform] ?? null) : null;
  }
}

/** The middle amount of a histogram (ascending); the mean of the two middle ones, rounded, for an even count. */
export function median(histogram: ReadonlyArray<{ amountCents: number; tipCount: number }>): number {
  const count = histogram.reduce((sum, row) => sum + row.tipCount, 0);
  if (!count) return 0;
  const at = (rank: number) => {
    let seen = 0;
    for (const row of histogram) {
      seen += row.tipCount;
      if (seen > rank) return row.amountCents;
    }
    return histogram.at(-1)!.amountCents;
  };
  return count % 2 ? at((count - 1) / 2) : Math.round((at(count / 2 - 1) + at(count / 2)) / 2);
}

/** One session's tips are few: read them all. Anything else, by whole periods and the tips at its ends. */
const readPlan = (f: q.ReportFilter): ReadPlan => (f.sessionId ? { periods: [], raw: [{ from: f.from, to: f.to }] } : planRead(f.from, f.to));

function sumTotals(parts: q.Totals[]): q.Totals {
  return parts.reduce((sum, part) => ({
    tipCount: sum.tipCount + part.tipCount,
    totalCents: sum.totalCents + part.totalCents,
    biggestCents: Math.max(sum.biggestCents, part.biggestCents),
    anonymousCount: sum.anonymousCount + part.anonymousCount,
    anonymousCents: sum.anonymousCents + part.anonymousCents,
    anonymousLastAt: latest(sum.anonymousLastAt, part.anonymousLastAt),
  }));
}

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);
