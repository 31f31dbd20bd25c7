import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import pg from 'pg';
import { percentile, runConcurrently } from './measure.ts';

export interface TipsBenchOptions {
  /** Tips per throughput run. */
  tips: number;
  concurrency: number;
  /** Arrival rate for the latency run, per second, and how many tips it sends. */
  ratePerSecond: number;
  latencyTips: number;
}

/**
 * Tips recorded per second through `POST /api/tips` on a real server, against a raw `pg`
 * loop doing the same writes in one transaction per tip on the same database; then the
 * latency from POST to `tip_received` on an overlay socket at a fixed arrival rate.
 */
export async function benchTips(options: TipsBenchOptions): Promise<void> {
  const t = await startTestKernel({ plugins: [tipsPlugin] });
  try {
    const databaseUrl = (t.kernel as { config: { databaseUrl?: string } }).config.databaseUrl;
    if (!databaseUrl) throw new Error('the tips benchmark compares against raw pg: set DATABASE_URL');
    const { token, creator } = await t.createCreator();
    const sessionId = (await t.http.post('/api/sessions', { token, body: { platform: 'chaturbate' } })).body.id as string;

    const server = await throughputThroughServer(t, token, sessionId, options);
    const raw = await throughputRawPg(databaseUrl, creator.id, sessionId, options);
    console.log(`tips throughput (${options.tips} tips, concurrency ${options.concurrency})`);
    console.log(`  POST /api/tips     ${server.toFixed(0).padStart(7)} tips/s`);
    console.log(`  raw pg baseline    ${raw.toFixed(0).padStart(7)} tips/s`);
    console.log(`  ratio server/raw   ${(server / raw).toFixed(3)}`);

    const latencies = await latencyToOverlay(t, token, sessionId, options);
    console.log(`POST → tip_received on an overlay socket (${options.latencyTips} tips at ${options.ratePerSecond}/s)`);
    console.log(`  p50 ${percentile(latencies, 50).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   max ${Math.max(...latencies).toFixed(1)} ms`);
  } finally {
    await t.stop();
  }
}

async function throughputThroughServer(t: TestKernel, token: string, sessionId: string, o: TipsBenchOptions): Promise<number> {
  const started = performance.now();
  await runConcurrently(o.tips, o.concurrency, async (i) => {
    const response = await t.http.post('/api/tips', {
      token,
      headers: { 'idempotency-key': `bench-${i}` },
      body: { sessionId, amountCents: 100 + (i % 50), tipperName: `viewer${i % 200}`, message: 'bench' },
    });
    if (response.status !== 201) throw new Error(`tip ${i}: ${response.status} ${JSON.stringify(response.body)}`);
  });
  return o.tips / ((performance.now() - started) / 1000);
}

/** The same rows the plugin writes (tip, tipper, session totals, outbox event), one transaction per tip. */
async function throughputRawPg(databaseUrl: string, creatorId: string, sessionId: string, o: TipsBenchOptions): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: o.concurrency });
  try {
    const started = performance.now();
    await runConcurrently(o.tips, o.concurrency, async (i) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const amount = 100 + (i % 50);
        const tipId = crypto.randomUUID();
        await client.query(
          `insert into tips_tips (id, creator_id, session_id, amount_cents, tipper_name, message, is_anonymous, source, idempotency_key, request_hash, created_at)
           values ($1, $2, $3, $4, $5, 'bench', false, 'manual', $6, 'x', now())
           on conflict (creator_id, idempotency_key) where idempotency_key is not null do nothing`,
          [tipId, creatorId, sessionId, amount, `viewer${i % 200}`, `raw-${i}`],
        );
        const tipper = await client.query(`insert into tips_session_tippers (session_id, tipper_key) values ($1, $2) on conflict do nothing`, [
          sessionId,
          `viewer${i % 200}`,
        ]);
        await client.query(
          `update core_stream_sessions set total_tips_cents = total_tips_cents + $1, tip_count = tip_count + 1,
             tipper_count = tipper_count + $2, biggest_tip_cents = greatest(biggest_tip_cents, $1), updated_at = now()
           where id = $3 and creator_id = $4 and status = 'active'`,
          [amount, tipper.rowCount, sessionId, creatorId],
        );
        await client.query(`insert into core_outbox_events (id, name, payload, created_at) values ($1, 'bench.raw', $2, now())`, [
          crypto.randomUUID(),
          JSON.stringify({ tipId }),
        ]);
        await client.query('commit');
      } finally {
        client.release();
      }
    });
    return o.tips / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}

async function latencyToOverlay(t: TestKernel, token: string, sessionId: string, o: TipsBenchOptions): Promise<number[]> {
  const overlay = await t.overlaySocket();
  await overlay.emitWithAck('join_overlay', { sessionId });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const allArrived = new Promise<void>((resolve) => {
    overlay.on('tip_received', ({ tip }) => {
      const sent = sentAt.get(tip.message ?? '');
      if (sent === undefined) return;
      latencies.push(performance.now() - sent);
      if (latencies.length === o.latencyTips) resolve();
    });
  });
  const interval = 1000 / o.ratePerSecond;
  const started = performance.now();
  const posts: Promise<unknown>[] = [];
  for (let i = 0; i < o.latencyTips; i++) {
    // A fixed arrival schedule: each tip leaves at its slot, whether or not earlier ones are done.
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const label = `latency-${i}`;
    sentAt.set(label, performance.now());
    posts.push(t.http.post('/api/tips', { token, body: { sessionId, amountCents: 100, message: label } }));
  }
  await Promise.all(posts);
  await allArrived;
  return latencies;
}
