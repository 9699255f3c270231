// Composition root of the HTTP server: open the store (SQLite under the config's dbPath, or
// memory), migrate, seed on first start (catalogue, schemes and a simulated town), mint a
// one-time operator key on the database's first start, listen, and shut down gracefully on SIGTERM/SIGINT (stop accepting,
// let in-flight requests finish, close the store).
import { describeStore } from '../../config/config.ts';
import type { FastifyInstance } from 'fastify';
import { Credence } from '../../app/credence.ts';
import { initStore } from '../../app/init.ts';
import { formatProblems } from '../../app/load-catalogue.ts';
import { simulateTown, townStart } from '../../app/simulate.ts';
import type { Config } from '../../config/config.ts';
import { openAccessStore, openMailer, openRateLimiter, openStore } from '../../main/open-store.ts';
import { groupAuditAppends } from '../../app/audit-batcher.ts';
import { ephemeralLogKey, openLogKey } from '../../app/log-key.ts';
import type { AccessStore } from '../../ports/access-store.ts';
import type { Store } from '../../ports/store.ts';
import { buildApp, contextOf, DEFAULT_HTTP_OPTIONS } from './app.ts';
import { LIMITS } from './context.ts';
import { newKey } from './keys.ts';
import { DueProcess, SIMULATED_REVIEW_REASON } from '../../app/due-process.ts';
import { maintain } from '../../app/maintain.ts';

/** How often the server runs maintenance (src/app/maintain.ts): lapsed disputes, listings ending. */
export const MAINTAIN_INTERVAL_MS = 600_000;

export interface ServeOptions {
  config: Config;
  host: string;
  port: number;
  /** Subjects of the simulated town seeded on first start (0 = none). */
  seedSubjects: number;
  seedDays: number;
  log: (line: string) => void;
  logger: boolean | Record<string, unknown>;
  now: () => number;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** The operator key minted at the database's first start (null on later starts: it has keys). */
  operatorKey: string | null;
  close(): Promise<void>;
}


/** Seed of the simulated town a new server database starts with (any seed but the README's 1). */
export const SERVER_TOWN_SEED = 2017;

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  // Decisions and reads are logged before they are answered: commit those log entries in groups.
  const store = groupAuditAppends(await openStore(o.config));
  try {
    // A schema upgrade (or a new database: nothing to rebuild then) brings states to the stream positions.
    const upgrading = (await store.pendingMigrations()) > 0;
    await store.migrate();
    if (!(await store.loadCatalogue())) {
      const init = await initStore(store, o.config.catalogueDir, o.config.profile, o.now(), { fourEyes: o.config.fourEyes });
      if (init.problems.length > 0) throw new Error(`the catalogue does not validate:\n${formatProblems(init.problems)}`);
      o.log(`initialised ${describeStore(o.config)}: ${init.recordTypes} record types, schemes ${init.schemes.join(', ')}; four eyes ${init.fourEyes ? 'on' : 'off'}`);
    } else if (o.config.fourEyes !== null && o.config.fourEyes !== ((await store.loadCatalogue())?.fourEyes ?? false)) {
      // The setting lives in the database: a server cannot change it by its environment alone.
      throw new Error(`CREDENCE_FOUR_EYES=${o.config.fourEyes ? 1 : 0} differs from what ${describeStore(o.config)} holds: run \`credence init\` with it to change the deployment's setting`);
    }
    const credence = await Credence.open(store, { now: o.now, legacyCodes: o.config.legacyCodes });
    if (upgrading) {
      const n = await credence.catchUpStates(o.now());
      if (n > 0) o.log(`upgraded the schema: rebuilt ${n} materialised state(s) from the records`);
    }
    if (o.seedSubjects > 0 && (await store.countRecords()) === 0) {
      const t0 = performance.now();
      const start = townStart(o.now(), o.seedDays);
      let batch: unknown[] = [];
      let accepted = 0;
      // Its own seed: the README's `simulate --seed 1` town is another town (other subjects,
      // other record ids), so ingesting it into this database adds to it and collides with nothing.
      for (const item of simulateTown({ subjects: o.seedSubjects, days: o.seedDays, seed: SERVER_TOWN_SEED, start })) {
        if (item.kind !== 'record') continue;
        batch.push(item.record);
        if (batch.length >= 5000) { accepted += (await credence.ingest(batch, 'system:seed')).accepted; batch = []; }
      }
      if (batch.length > 0) accepted += (await credence.ingest(batch, 'system:seed')).accepted;
      // The simulated grid office's reports wait for a reviewer like real ones; the town's
      // simulated reviewer approves them (logged as such), so the seeded town has its deeds.
      await new DueProcess(credence).approveAllOpen(SIMULATED_REVIEW_REASON, { actor: 'system:seed-reviewer' });
      o.log(`seeded a simulated town of ${o.seedSubjects} subjects: ${accepted} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const access = openAccessStore(store);
    await access.purgeIdempotency(o.now() - LIMITS.idempotencyTtlMs);
    // The first start of a database (no API key in it yet) mints one operator key for 24 hours,
    // printed once; later starts mint none (`credence keys create --role operator` makes more).
    let operatorKey: string | null = null;
    if ((await access.listKeys(1)).length === 0) {
      const k = newKey('operator');
      const now = o.now();
      await access.createKey({ id: k.id, role: 'operator', name: 'bootstrap operator key (printed at first start)', hash: k.hash, binding: null, createdAt: now, createdBy: 'system:serve', expiresAt: now + 86_400_000, revokedAt: null, replacedBy: null });
      await store.appendAudit([{ at: now, actor: 'system:serve', action: 'key.create', detail: { key: k.id, role: 'operator', binding: null } }]);
      operatorKey = k.secret;
    }

    // Ingest mode `nats`: record routes publish to JetStream; `credence worker` applies them.
    const bus = o.config.ingestMode === 'nats'
      ? await (await import('../../adapters/nats/nats-ingest-bus.ts')).NatsIngestBus.connect({ url: o.config.natsUrl!, partitions: o.config.partitions, stream: o.config.natsStream })
      : null;
    if (bus) o.log(`ingest mode nats: records go to stream ${o.config.natsStream} (${o.config.partitions} partitions) at ${o.config.natsUrl}`);
    // The key that signs tree heads lives outside the database (created with mode 0600 on first start).
    const logKey = o.config.logKeyFile === null ? ephemeralLogKey() : openLogKey(o.config.logKeyFile, { create: true });
    o.log(`audit tree heads signed with ${logKey.file ?? 'a key for this process only'} (key id ${logKey.keyId.slice(0, 16)}...)`);
    // Notices to subjects' e-mail contacts go through the configured SMTP server.
    const mailer = await openMailer(o.config);
    if (mailer) o.log(`notice e-mails through ${o.config.smtpUrl!.replace(/\/\/[^@/]*@/, '//***@')}`);
    // Rate limits: shared by every API process through Redis when one is configured.
    const limits = await openRateLimiter(o.config, DEFAULT_HTTP_OPTIONS.rateLimit);
    o.log(o.config.redisUrl ? `rate limits shared through Redis at ${o.config.redisUrl.replace(/\/\/[^@/]*@/, '//***@')}` : 'rate limits counted in this process (CREDENCE_REDIS_URL shares them between processes)');
    const app = await buildApp({ credence, store, access, bus, now: o.now, logKey, limiter: limits.limiter, dispatch: { mailer }, options: { logger: o.logger, legacyCodes: o.config.legacyCodes, idempotencyStaleMs: o.config.idempotencyStaleMs } });
    // Build the audit tree's cache now, a page at a time, rather than on the first head or proof asked for.
    void contextOf(app).auditLog.size().catch(() => {});
    const purge = setInterval(() => { void access.purgeIdempotency(o.now() - LIMITS.idempotencyTtlMs).catch(() => {}); }, 600_000);
    purge.unref();
    // Maintenance at start and every ten minutes, never two rounds at once in this process.
    let maintaining: Promise<void> | null = null;
    const runMaintain = () => {
      maintaining ??= maintain(contextOf(app).state.credence)
        .then((r) => { if (r.disputes.lapsed + r.disputes.corrected + r.listingsEnding + r.purged.records + r.purged.cases + r.purged.notices > 0) app.log.info({ maintain: r }, 'maintenance'); })
        .catch((err) => app.log.error({ err }, 'maintenance failed'))
        .finally(() => { maintaining = null; });
    };
    const maintainTimer = setInterval(runMaintain, MAINTAIN_INTERVAL_MS);
    maintainTimer.unref();
    await app.listen({ host: o.host, port: o.port });
    runMaintain();
    const addr = app.server.address();
    const port = addr && typeof addr === 'object' ? addr.port : o.port;
    const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
    let closed: Promise<void> | null = null;
    return {
      app,
      url,
      operatorKey,
      close: () => (closed ??= (async () => {
        clearInterval(purge);
        clearInterval(maintainTimer);
        await maintaining;
        await app.close(); // stops accepting; in-flight requests finish
        await bus?.close();
        await mailer?.close();
        await limits.close();
        await store.close();
      })()),
    };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}
