import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel, type TestSocket } from '@streaming-companion/testing';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { BenchClient } from './http-client.ts';
import { percentile, runConcurrently } from './measure.ts';
import { AS_DEPLOYED } from './as-deployed.ts';
import { hostCpuSince, type HostCpu } from './cpu.ts';

export interface TipsBenchOptions {
  /** Live sessions the tips are spread over, one creator each (a creator has one live session). */
  sessions: number;
  /** Tips per throughput run, and how many requests are in flight. */
  tips: number;
  concurrency: number;
}

export interface Live {
  token: string;
  creatorId: string;
  sessionId: string;
}

export type LatencyRun = { ratePerSecond: number; tips: number; p50: number; p99: number; max: number; lost: number; doubled: number; refused: number };

/** What one side of B2 was measured under: this process's CPU a tip, and how busy the machine was (on Linux). */
export interface IngestUnder {
  processCpuMsPerTip: number;
  host?: HostCpu;
}

export interface TipsBenchResult {
  ingest: { serverPerSecond: number; rawPerSecond: number; ratio: number; server: IngestUnder; raw: IngestUnder };
}

/** Where a latency run sends its tips, and how it knows the server has handled all it was given. */
export interface LatencyTarget {
  /** POST a tip; rejects only when the request got no answer at all. */
  postTip(live: Live, body: { sessionId: string; amountCents: number; message: string }): Promise<unknown>;
  settled(): Promise<void>;
}

/** Tips sent by `client`; `settled` says when the server has handled all it was given. */
export const httpTarget = (client: BenchClient, settled: () => Promise<void>): LatencyTarget => ({
  postTip: (live, body) => client.post('/api/tips', { token: live.token, body }),
  settled,
});

/**
 * B2, ingest: tips recorded per second through `POST /api/tips`, spread over many live sessions,
 * against a raw `pg` loop writing the same rows with the same statements (the idempotency
 * check included) in one transaction per tip, over the same sessions, on the same database.
 */
export async function benchTips(options: TipsBenchOptions): Promise<TipsBenchResult> {
  const t = await startTestKernel({ plugins: [tipsPlugin], env: AS_DEPLOYED });
  try {
    const databaseUrl = (t.kernel as { config: { databaseUrl?: string } }).config.databaseUrl;
    if (!databaseUrl) throw new Error('the tips benchmark compares against raw pg: set DATABASE_URL');
    const lives = await Promise.all(Array.from({ length: options.sessions }, () => liveSession(t)));

    // Each side first records a share of the tips unmeasured, so both are timed past their JIT warm-up.
    const warmUpLoad = { ...options, tips: Math.ceil(options.tips / 6) };
    await throughputThroughServer(t, lives, warmUpLoad, 'warm-up');
    const server = await measured(options.tips, () => throughputThroughServer(t, lives, options, 'bench'));
    await throughputRawPg(databaseUrl, lives, warmUpLoad, 'raw-warm-up');
    const raw = await measured(options.tips, () => throughputRawPg(databaseUrl, lives, options, 'raw'));
    const ingest = { serverPerSecond: server.perSecond, rawPerSecond: raw.perSecond, ratio: server.perSecond / raw.perSecond, server: server.under, raw: raw.under };
    console.log(`B2 ingest: ${options.tips} tips over ${options.sessions} sessions, ${options.concurrency} in flight`);
    console.log(`  POST /api/tips     ${server.perSecond.toFixed(0).padStart(7)} tips/s   ${describeUnder(server.under)}`);
    console.log(`  raw pg baseline    ${raw.perSecond.toFixed(0).padStart(7)} tips/s   ${describeUnder(raw.under)}`);
    console.log(`  ratio server/raw   ${ingest.ratio.toFixed(3)}`);

    return { ingest };
  } finally {
    await t.stop();
  }
}

/**
 * A side's tips per second with what it ran under. Its process is this one: for the server, the
 * server with its HTTP client; for the baseline, the raw loop (PostgreSQL's CPU is in neither).
 * A ratio read while the host took a share of the machine (steal) says little.
 */
async function measured(tips: number, run: () => Promise<number>): Promise<{ perSecond: number; under: IngestUnder }> {
  const [cpu, host] = [process.cpuUsage(), hostCpuSince()];
  const perSecond = await run();
  const { user, system } = process.cpuUsage(cpu);
  return { perSecond, under: { processCpuMsPerTip: (user + system) / 1000 / tips, host: host() } };
}

/** How a side's figure was measured, as the table prints it. */
export const describeUnder = ({ processCpuMsPerTip, host }: IngestUnder): string =>
  `process CPU ${processCpuMsPerTip.toFixed(2)} ms a tip${host ? `, machine ${host.busy.toFixed(0)}% busy (${host.steal.toFixed(1)}% stolen)` : ''}`;

export async function liveSession(t: TestKernel): Promise<Live> {
  const { token, creator } = await t.createCreator();
  const sessionId = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;
  return { token, creatorId: creator.id, sessionId };
}

export async function joinedOverlay(t: TestKernel, sessionId: string): Promise<TestSocket> {
  const overlay = await t.overlaySocket();
  const ack = (await overlay.emitWithAck('join_overlay', { sessionId })) as { ok: boolean };
  if (!ack.ok) throw new Error(`an overlay could not join ${sessionId}`);
  return overlay;
}

/** Tips per second through `POST /api/tips`; `keys` prefixes the idempotency keys, which must be new. */
async function throughputThroughServer(t: TestKernel, lives: Live[], o: TipsBenchOptions, keys: string): Promise<number> {
  const client = new BenchClient(t.url);
  const started = performance.now();
  await runConcurrently(o.tips, o.concurrency, async (i) => {
    const live = lives[i % lives.length]!;
    const response = await client.post('/api/tips', {
      token: live.token,
      headers: { 'idempotency-key': `${keys}-${i}` },
      body: { sessionId: live.sessionId, amountCents: 100 + (i % 50), tipperName: `viewer${i % 200}`, message: 'bench' },
    });
    if (response.status !== 201) throw new Error(`tip ${i}: ${response.status} ${JSON.stringify(response.body)}`);
  });
  const perSecond = o.tips / ((performance.now() - started) / 1000);
  client.close();
  return perSecond;
}

/**
 * What recording a tip writes, statement for statement: the tip (its idempotency key checked by
 * the unique index in the same insert) with the tipper's first tip in the session, the session's
 * totals, the session's sequence number with the domain event and the broadcast in the outbox;
 * after commit, the two rows marked dispatched. One transaction per tip. Each statement is
 * prepared once per connection, as the server prepares its own.
 */
async function throughputRawPg(databaseUrl: string, lives: Live[], o: TipsBenchOptions, keys: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: o.concurrency });
  try {
    const started = performance.now();
    await runConcurrently(o.tips, o.concurrency, async (i) => {
      const { creatorId, sessionId } = lives[i % lives.length]!;
      const client = await pool.connect();
      try {
        await client.query('begin');
        const amount = 100 + (i % 50);
        const tipId = crypto.randomUUID();
        // The tip and its tipper's first tip in one statement, as the tips plugin writes them.
        const {
          rows: [written],
        } = await client.query({
          name: 'bench-tip',
          text: `with tip as (
             insert into tips_tips (id, creator_id, session_id, amount_cents, tipper_name, message, is_anonymous, source, idempotency_key, request_hash, created_at)
             values ($1, $2, $3, $4, $5, 'bench', false, 'manual', $6, 'x', now())
             on conflict (creator_id, idempotency_key) do nothing
             returning session_id
           ), tipper as (
             insert into tips_session_tippers (session_id, tipper_key) select tip.session_id, $5 from tip
             on conflict do nothing
             returning 1
           )
           select exists (select 1 from tip) as inserted, exists (select 1 from tipper) as new_tipper`,
          values: [tipId, creatorId, sessionId, amount, `viewer${i % 200}`, `${keys}-${i}`],
        });
        if (!written.inserted) throw new Error(`raw tip ${i} was recorded before`);
        await client.query({
          name: 'bench-totals',
          text: `update core_stream_sessions set total_tips_cents = total_tips_cents + $1, tip_count = tip_count + 1,
             tipper_count = tipper_count + $2, biggest_tip_cents = greatest(biggest_tip_cents, $1), updated_at = now()
           where id = $3 and creator_id = $4 and status = 'active' returning *`,
          values: [amount, written.new_tipper ? 1 : 0, sessionId, creatorId],
        });
        const rows = [crypto.randomUUID(), crypto.randomUUID()];
        await client.query({
          name: 'bench-outbox',
          text: `with seq as (
             insert into core_session_sequences (session_id, stream, seq) values ($3::uuid, '', 1), ($3::uuid, 'bench.raw', 1)
             on conflict (session_id, stream) do update set seq = core_session_sequences.seq + 1 returning stream, seq
           )
           insert into core_outbox_events (id, kind, name, payload, target, session_id, seq, created_at, claimed_until)
           select $1::uuid, 'domain', 'bench.raw', $4::jsonb, null::jsonb, $3::uuid, seq.seq, now(), clock_timestamp() + interval '30 seconds' from seq where stream = 'bench.raw'
           union all
           select $2::uuid, 'realtime', 'bench_raw', $4::jsonb, $5::jsonb, $3::uuid, seq.seq, now(), clock_timestamp() + interval '30 seconds' from seq where stream = ''`,
          values: [rows[0], rows[1], sessionId, JSON.stringify({ tipId, amount }), JSON.stringify({ sessionId })],
        });
        await client.query('commit');
        await client.query({ name: 'bench-mark', text: `update core_outbox_events set dispatched_at = now() where id = any($1::uuid[])`, values: [rows] });
      } finally {
        client.release();
      }
    });
    return o.tips / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}

let latencyRuns = 0;
/** Seconds of traffic a latency run is preceded by, unmeasured: the figures are of a server past its JIT warm-up, as one that has been up a while is. */
const WARM_UP_SECONDS = 3;

/** Send `WARM_UP_SECONDS` of the run's traffic and wait for its broadcasts; nothing of it is measured. */
export async function warmUp(target: LatencyTarget, lives: Live[], overlays: Socket[][], ratePerSecond: number): Promise<void> {
  await latencyToOverlays(target, lives, overlays, ratePerSecond, Math.round(ratePerSecond * WARM_UP_SECONDS));
}

/**
 * POST each tip to `t` at its slot and time it to `tip_received` on every overlay of its
 * session (the overlays may be connected to another instance of the same deployment).
 */
export async function latencyToOverlays(target: LatencyTarget, lives: Live[], overlays: Socket[][], ratePerSecond: number, tips: number): Promise<LatencyRun> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const perTip = overlays[0]!.length;
  let expected = tips * perTip;
  const seen = new Set<string>();
  let doubled = 0;
  let settle: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => (settle = resolve));
  const listeners = overlays.flat().map((overlay, socketNo) => {
    const listener = ({ tip }: { tip: { message: string | null } }) => {
      const sent = sentAt.get(tip.message ?? '');
      if (sent === undefined) return;
      const delivery = `${socketNo}/${tip.message}`;
      if (seen.has(delivery)) return void doubled++;
      seen.add(delivery);
      latencies.push(performance.now() - sent);
      if (latencies.length === expected) settle();
    };
    overlay.on('tip_received', listener);
    return () => overlay.off('tip_received', listener);
  });
  // Each run's own label: a late broadcast of an earlier run (a warm-up's) is never taken for one of this run's tips.
  const label = `latency-${ratePerSecond}-${latencyRuns++}-`;
  const interval = 1000 / ratePerSecond;
  const started = performance.now();
  const posts: Promise<unknown>[] = [];
  // A server past its capacity leaves connections unaccepted until the client gives up: such a
  // tip was never recorded, so it is counted as refused rather than expected on the overlays.
  let refused = 0;
  for (let i = 0; i < tips; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const live = lives[i % lives.length]!;
    const message = `${label}${i}`;
    sentAt.set(message, performance.now());
    posts.push(
      target.postTip(live, { sessionId: live.sessionId, amountCents: 100, message }).catch(() => {
        refused++;
        expected -= perTip;
        sentAt.delete(message);
        if (latencies.length === expected) settle();
      }),
    );
  }
  await Promise.all(posts);
  // Whatever has not arrived once the server is idle and a grace second has passed is lost.
  await target.settled();
  await Promise.race([allArrived, new Promise((resolve) => setTimeout(resolve, 1_000))]);
  for (const off of listeners) off();
  return { ratePerSecond, tips, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), lost: expected - latencies.length, doubled, refused };
}
