// Configuration: parsed once from environment and flags into a frozen, typed object.
import path from 'node:path';
import { addDuration, parseDuration, parseInstant } from '../domain/duration.ts';

export type Profile = 'default' | 'eu';

export interface Config {
  /** SQLite database path (CREDENCE_DB or --db), default ./data/credence.db. */
  dbPath: string;
  /** PostgreSQL URL (CREDENCE_DATABASE_URL); when set, PostgreSQL is used instead of SQLite. */
  databaseUrl: string | null;
  /** Deployment profile (CREDENCE_PROFILE): `eu` refuses cross-context measures at load. */
  profile: Profile;
  /** Directory of the catalogue and scheme data files (CREDENCE_CATALOGUE_DIR). */
  catalogueDir: string;
  /** Legacy organisation codes admitted despite a failed checksum (CREDENCE_LEGACY_CODES, comma-separated). */
  legacyCodes: string[];
  /** NATS server URL (CREDENCE_NATS_URL), e.g. nats://127.0.0.1:4222; null = no bus. */
  natsUrl: string | null;
  /** Where ingested records go (CREDENCE_INGEST_MODE): straight to the store, or through the JetStream bus. */
  ingestMode: IngestMode;
  /** Number of JetStream ingest partitions (CREDENCE_PARTITIONS, 1..1024, default 4); fixed per stream. */
  partitions: number;
  /** JetStream ingest stream name (CREDENCE_NATS_STREAM, default CREDENCE_INGEST). */
  natsStream: string;
  /**
   * After how long an in-progress Idempotency-Key reservation left by a crashed API process
   * may be taken over by a retry (CREDENCE_IDEMPOTENCY_STALE_MS, default 300000 = 5 min;
   * 1000..3600000). Keep it above the request timeout (60 s) in production.
   */
  idempotencyStaleMs: number;
  /** SMTP server notices are e-mailed through (smtp:// or smtps://, credentials in the URL), or null: no e-mail. */
  smtpUrl: string | null;
  /** The From of notice e-mails. */
  smtpFrom: string;
  /**
   * The Ed25519 key that signs the audit log's tree heads (CREDENCE_LOG_KEY_FILE or
   * --log-key): a PEM file kept outside the database, created with mode 0600 on first use.
   * Default: beside the SQLite database (`<db>.log-key.pem`), or ./data/credence.log-key.pem
   * with PostgreSQL; null for a memory database (a key that lives only in the process).
   */
  logKeyFile: string | null;
  /**
   * Why an operator reads subjects' data through the command line, when a command is not
   * given --reason (CREDENCE_READ_REASON, e.g. a ticket number for a session of work); null:
   * every read must state one. It goes to the subject's query log with the operator.
   */
  readReason: string | null;
  /**
   * The settable clock for simulation and tests (CREDENCE_CLOCK): an ISO date or date-time
   * the clock starts at, or `+DURATION` (ISO 8601, e.g. +P10Y, +P31D) ahead of real time; it
   * then runs at real speed. `clockOffsetMs` is what is added to real time (0: the real
   * clock). Refused when NODE_ENV=production unless CREDENCE_ALLOW_CLOCK=1: a production
   * deployment must not decide deadlines on a moved clock by accident.
   */
  clock: string | null;
  clockOffsetMs: number;
  /**
   * Four eyes for the deployment (CREDENCE_FOUR_EYES=1 or 0), applied by `credence init`,
   * which stores it with the catalogue so every process on the database keeps to it; null
   * (unset): `init` keeps what is stored.
   */
  fourEyes: boolean | null;
  /** Redis (CREDENCE_REDIS_URL, redis:// or rediss://) where API processes share rate limits; null: each process counts its own. */
  redisUrl: string | null;
  /** Where `credence serve` listens and what it logs. */
  server: ServerConfig;
}

export interface ServerConfig {
  /** HOST, default 127.0.0.1. */
  host: string;
  /** PORT, 0-65535 (0: any free port), default 3000. */
  port: number;
  /** LOG_LEVEL of the request log (pino levels), default info. */
  logLevel: LogLevel;
  /** Subjects of the simulated town a new database is seeded with (CREDENCE_SEED_SUBJECTS, default 2,000; 0: none). */
  seedSubjects: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The largest simulated town a server seeds. */
export const SEED_SUBJECTS_MAX = 1_000_000;

export type IngestMode = 'direct' | 'nats';

/** Upper bound on CREDENCE_PARTITIONS: one durable consumer per partition. */
export const PARTITIONS_MAX = 1024;

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export class ConfigError extends Error {}

/** Where the data lives, for messages: the SQLite file, or the PostgreSQL database (no password). */
export function describeStore(c: Pick<Config, 'dbPath' | 'databaseUrl'>): string {
  if (!c.databaseUrl) return c.dbPath;
  try {
    const u = new URL(c.databaseUrl);
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: { db?: string; profile?: string; logKey?: string } = {},
): Config {
  const profile = (flags.profile ?? env.CREDENCE_PROFILE ?? 'default') as Profile;
  if (profile !== 'default' && profile !== 'eu') {
    throw new ConfigError(`CREDENCE_PROFILE must be "default" or "eu", got "${profile}"`);
  }
  const legacy = (env.CREDENCE_LEGACY_CODES ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const ingestMode = (env.CREDENCE_INGEST_MODE || 'direct') as IngestMode;
  if (ingestMode !== 'direct' && ingestMode !== 'nats') {
    throw new ConfigError(`CREDENCE_INGEST_MODE must be "direct" or "nats", got "${ingestMode}"`);
  }
  const natsUrl = env.CREDENCE_NATS_URL || null;
  if (ingestMode === 'nats' && natsUrl === null) {
    throw new ConfigError('CREDENCE_INGEST_MODE=nats needs CREDENCE_NATS_URL');
  }
  const partitions = Number(env.CREDENCE_PARTITIONS || 4);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > PARTITIONS_MAX) {
    throw new ConfigError(`CREDENCE_PARTITIONS must be a whole number from 1 to ${PARTITIONS_MAX}, got "${env.CREDENCE_PARTITIONS}"`);
  }
  const natsStream = env.CREDENCE_NATS_STREAM || 'CREDENCE_INGEST';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(natsStream)) {
    throw new ConfigError(`CREDENCE_NATS_STREAM must be 1-64 letters, digits, _ or -, got "${natsStream}"`);
  }
  const idempotencyStaleMs = Number(env.CREDENCE_IDEMPOTENCY_STALE_MS || 300_000);
  if (!Number.isInteger(idempotencyStaleMs) || idempotencyStaleMs < 1000 || idempotencyStaleMs > 3_600_000) {
    throw new ConfigError(`CREDENCE_IDEMPOTENCY_STALE_MS must be a whole number of milliseconds from 1000 to 3600000, got "${env.CREDENCE_IDEMPOTENCY_STALE_MS}"`);
  }
  const smtpUrl = env.CREDENCE_SMTP_URL?.trim() || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) {
    throw new ConfigError('CREDENCE_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://...');
  }
  const smtpFrom = env.CREDENCE_SMTP_FROM?.trim() || 'Credence notices <notices@credence.invalid>';
  const clockRaw = env.CREDENCE_CLOCK?.trim() || null;
  let clockOffsetMs = 0;
  if (clockRaw !== null) {
    if (env.NODE_ENV === 'production' && env.CREDENCE_ALLOW_CLOCK !== '1') {
      throw new ConfigError('CREDENCE_CLOCK moves the clock every deadline, expiry and decision is judged by; it is refused when NODE_ENV=production unless CREDENCE_ALLOW_CLOCK=1');
    }
    const real = Date.now();
    if (clockRaw.startsWith('+')) {
      const d = parseDuration(clockRaw.slice(1));
      if (!d) throw new ConfigError(`CREDENCE_CLOCK "${clockRaw}": after "+" comes an ISO-8601 duration such as P10Y, P31D or PT2H`);
      clockOffsetMs = addDuration(real, d) - real;
    } else {
      const t = parseInstant(clockRaw);
      if (t === null) throw new ConfigError(`CREDENCE_CLOCK "${clockRaw}" is neither a date (YYYY-MM-DD), a date-time with zone (2036-12-03T09:00:00Z) nor +DURATION (+P10Y)`);
      clockOffsetMs = t - real;
    }
  }
  const fourEyesRaw = env.CREDENCE_FOUR_EYES?.trim().toLowerCase() || null;
  const fourEyes = fourEyesRaw === null ? null : ['1', 'on', 'true', 'yes'].includes(fourEyesRaw) ? true : ['0', 'off', 'false', 'no'].includes(fourEyesRaw) ? false : undefined;
  if (fourEyes === undefined) throw new ConfigError(`CREDENCE_FOUR_EYES must be 1 (on) or 0 (off), got "${env.CREDENCE_FOUR_EYES}"`);
  const port = Number(env.PORT?.trim() || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`);
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  const seedSubjects = Number(env.CREDENCE_SEED_SUBJECTS?.trim() || 2000);
  if (!Number.isInteger(seedSubjects) || seedSubjects < 0 || seedSubjects > SEED_SUBJECTS_MAX) throw new ConfigError(`CREDENCE_SEED_SUBJECTS must be a whole number from 0 to ${SEED_SUBJECTS_MAX}, got "${env.CREDENCE_SEED_SUBJECTS}"`);
  const server: ServerConfig = Object.freeze({ host: env.HOST?.trim() || '127.0.0.1', port, logLevel, seedSubjects });
  const redisUrl = env.CREDENCE_REDIS_URL?.trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\/[^/\s]+/.test(redisUrl)) throw new ConfigError(`CREDENCE_REDIS_URL must be redis://[user:password@]host[:port][/db] or rediss://..., got "${redisUrl.replace(/\/\/[^@/]*@/, '//***@')}"`);
  const dbRaw = flags.db ?? env.CREDENCE_DB ?? path.join('data', 'credence.db');
  const databaseUrl = env.CREDENCE_DATABASE_URL || null;
  const logKeyRaw = flags.logKey ?? (env.CREDENCE_LOG_KEY_FILE || undefined);
  const logKeyFile = logKeyRaw !== undefined ? path.resolve(logKeyRaw)
    : databaseUrl ? path.resolve('data', 'credence.log-key.pem')
      : dbRaw === ':memory:' ? null : `${path.resolve(dbRaw)}.log-key.pem`;
  return Object.freeze({
    dbPath: path.resolve(dbRaw),
    databaseUrl,
    profile,
    catalogueDir: path.resolve(env.CREDENCE_CATALOGUE_DIR ?? path.join(repoRoot, 'catalogue')),
    legacyCodes: Object.freeze(legacy) as string[],
    natsUrl,
    ingestMode,
    partitions,
    natsStream,
    idempotencyStaleMs,
    smtpUrl,
    smtpFrom,
    logKeyFile,
    clock: clockRaw,
    clockOffsetMs,
    fourEyes,
    server,
    redisUrl,
    readReason: env.CREDENCE_READ_REASON?.trim() ? env.CREDENCE_READ_REASON.trim().slice(0, READ_REASON_MAX) : null,
  });
}

/** Longest stated reason of a read (longer ones are cut). */
export const READ_REASON_MAX = 500;
