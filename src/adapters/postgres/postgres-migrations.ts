// PostgreSQL schema migrations: an ordered array, each applied once in its own transaction
// under an advisory lock (so two processes starting together never apply one twice) and
// recorded in schema_migrations(version, applied_at). Append new migrations at the end;
// never edit one that has shipped. Only adapters know SQL.
//
// Ready for Citus (docs/scaling.md): every per-subject table has the subject id as the first
// column of its primary key, so each can be distributed by subject and co-located:
//   SELECT create_distributed_table('subjects', 'id');
//   SELECT create_distributed_table('records', 'subject', colocate_with => 'subjects');
//   SELECT create_distributed_table('subject_states', 'subject', colocate_with => 'subjects');
//   SELECT create_distributed_table('record_ids', 'id');          -- its own distribution
//   SELECT create_reference_table('catalogue'); SELECT create_reference_table('schemes');
// A distributed table can only enforce uniqueness on keys that contain its distribution
// column, so the global uniqueness of a record id (source/sourceRecordId) lives in
// record_ids, keyed by the record id alone, which maps it to (subject, seq). The audit log is
// one hash chain, serial by nature: it stays a plain table on the coordinator.
//
// Text keys use COLLATE "C" so that ordering (listSubjectIds, schemes, states) is binary
// order, the same as SQLite's, whatever the database's default collation.
// Times are epoch milliseconds in bigint; JSON bodies are text (written and read as is, no
// jsonb re-encoding on the write path).
import type { PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE catalogue (
        id       integer PRIMARY KEY CHECK (id = 1),
        version  text NOT NULL,
        body     text NOT NULL
      );

      CREATE TABLE schemes (
        id           text COLLATE "C" NOT NULL,
        version      integer NOT NULL,
        status       text NOT NULL,
        published_at bigint,
        body         text NOT NULL,
        PRIMARY KEY (id, version)
      );

      CREATE TABLE subjects (
        id           text COLLATE "C" NOT NULL PRIMARY KEY,
        kind         text NOT NULL,
        id_scheme    text NOT NULL,
        display_name text,
        household    text,
        area         text,
        created_at   bigint NOT NULL
      );

      CREATE SEQUENCE records_seq AS bigint;

      CREATE TABLE records (
        subject          text COLLATE "C" NOT NULL REFERENCES subjects (id),
        seq              bigint NOT NULL,
        id               text COLLATE "C" NOT NULL,
        source           text NOT NULL,
        source_record_id text NOT NULL,
        type             text NOT NULL,
        occurred_at      bigint NOT NULL,
        recorded_at      bigint NOT NULL,
        payload          text NOT NULL,
        evidence         text NOT NULL,
        revokes          text,
        revoked_at       bigint,
        revoked_by       text,
        disputed_at      bigint,
        confirmed_at     bigint,
        PRIMARY KEY (subject, seq)
      );

      CREATE TABLE record_ids (
        id      text COLLATE "C" NOT NULL PRIMARY KEY,
        subject text COLLATE "C" NOT NULL,
        seq     bigint NOT NULL
      );

      CREATE TABLE subject_states (
        subject     text COLLATE "C" NOT NULL REFERENCES subjects (id),
        scheme      text COLLATE "C" NOT NULL,
        score       double precision NOT NULL,
        grade       text COLLATE "C" NOT NULL,
        computed_at bigint NOT NULL,
        valid_until bigint,
        ledger      text NOT NULL,
        PRIMARY KEY (subject, scheme)
      );
      CREATE INDEX subject_states_scheme_grade ON subject_states (scheme, grade);
      CREATE INDEX subject_states_scheme_valid_until ON subject_states (scheme, valid_until, subject)
        WHERE valid_until IS NOT NULL;

      CREATE TABLE audit_log (
        seq       bigint PRIMARY KEY,
        at        bigint NOT NULL,
        actor     text NOT NULL,
        action    text NOT NULL,
        subject   text COLLATE "C",
        detail    text NOT NULL,
        prev_hash text NOT NULL,
        hash      text NOT NULL
      );
      CREATE INDEX audit_log_subject_seq ON audit_log (subject, seq) WHERE subject IS NOT NULL;
    `,
  },
  {
    // Twin of SQLite migration 2. Small reference tables, not per-subject (under Citus they
    // stay plain tables on the coordinator or become reference tables). measures/purposes
    // are JSON arrays as text, as in SQLite.
    version: 2,
    name: 'http api access: keys, providers, idempotency',
    sql: `
      CREATE TABLE api_keys (
        id          text COLLATE "C" NOT NULL PRIMARY KEY,
        role        text NOT NULL,
        name        text NOT NULL,
        hash        text NOT NULL UNIQUE,
        binding     text,
        created_at  bigint NOT NULL,
        created_by  text NOT NULL,
        expires_at  bigint,
        revoked_at  bigint,
        replaced_by text
      );

      CREATE TABLE providers (
        id         text COLLATE "C" NOT NULL PRIMARY KEY,
        name       text NOT NULL,
        measures   text NOT NULL,
        purposes   text NOT NULL,
        created_at bigint NOT NULL
      );

      CREATE TABLE idempotency (
        key_id      text COLLATE "C" NOT NULL,
        idem_key    text COLLATE "C" NOT NULL,
        fingerprint text NOT NULL,
        created_at  bigint NOT NULL,
        status      integer,
        body        text,
        PRIMARY KEY (key_id, idem_key)
      );
      CREATE INDEX idempotency_created_at ON idempotency (created_at);
    `,
  },
  {
    // Twin of SQLite migration 3: stream positions (optimistic concurrency), state positions
    // (old states start behind, -1, and are recomputed), records linked to the audit entry of
    // the write that stored them (backfilled from each ingest entry's first..last range; a
    // batch's seqs are consecutive without concurrent writers, as before this migration).
    version: 3,
    name: 'stream positions, state positions, audit coverage of records',
    sql: `
      ALTER TABLE subjects ADD COLUMN position bigint NOT NULL DEFAULT 0;
      ALTER TABLE records ADD COLUMN position bigint;
      ALTER TABLE records ADD COLUMN audit_seq bigint;
      ALTER TABLE subject_states ADD COLUMN position bigint NOT NULL DEFAULT -1;

      UPDATE records r SET position = p.pos
      FROM (SELECT subject, seq, row_number() OVER (PARTITION BY subject ORDER BY seq) AS pos FROM records) AS p
      WHERE r.subject = p.subject AND r.seq = p.seq;
      UPDATE subjects s SET position = c.n
      FROM (SELECT subject, count(*) AS n FROM records GROUP BY subject) AS c
      WHERE s.id = c.subject;

      UPDATE records r SET audit_seq = cover.audit_seq
      FROM (
        SELECT a.seq AS audit_seq, f.seq AS first_seq, l.seq AS last_seq
        FROM audit_log a
        JOIN record_ids f ON f.id = a.detail::jsonb ->> 'first'
        JOIN record_ids l ON l.id = a.detail::jsonb ->> 'last'
        WHERE a.action = 'records.ingest'
      ) AS cover
      WHERE r.seq BETWEEN cover.first_seq AND cover.last_seq;
    `,
  },
  {
    // Twin of SQLite migration 4: subject attributes (household, area) leave the store.
    version: 4,
    name: 'subjects without household and area',
    sql: `
      ALTER TABLE subjects DROP COLUMN household;
      ALTER TABLE subjects DROP COLUMN area;
    `,
  },
  {
    // Twin of SQLite migration 5: withdrawal and review marks on records; cases (disputes,
    // review items) as documents with the columns the review queue filters on.
    version: 5,
    name: 'withdrawal, review and cases',
    sql: `
      ALTER TABLE records ADD COLUMN withdrawn_at bigint;
      ALTER TABLE records ADD COLUMN approved_at bigint;
      ALTER TABLE records ADD COLUMN rejected_at bigint;
      CREATE TABLE cases (
        id          text PRIMARY KEY,
        kind        text NOT NULL,
        subject     text NOT NULL,
        status      text NOT NULL,
        due_at      bigint,
        assignee    text,
        record      text,
        created_at  bigint NOT NULL,
        updated_at  bigint NOT NULL,
        body        jsonb NOT NULL
      );
      CREATE INDEX cases_subject ON cases (subject, id);
      CREATE INDEX cases_status ON cases (kind, status, due_at);
      CREATE INDEX cases_record ON cases (record);
    `,
  },
  {
    // Twin of SQLite migration 6. Consent tokens (the access port): a subject's consent to one provider, purpose and
    // measure, bounded in uses and time; the token is stored as its SHA-256 only.
    version: 6,
    name: 'consent tokens',
    sql: `
      CREATE TABLE consents (
        id           text PRIMARY KEY,
        hash         text NOT NULL UNIQUE,
        subject      text NOT NULL,
        provider     text NOT NULL,
        purpose      text NOT NULL,
        measure      text NOT NULL,
        created_at   bigint NOT NULL,
        created_by   text NOT NULL,
        expires_at   bigint NOT NULL,
        max_uses     integer NOT NULL,
        uses         integer NOT NULL,
        last_used_at bigint,
        revoked_at   bigint
      );
      CREATE INDEX consents_subject ON consents (subject, created_at);
    `,
  },
  {
    // Twin of SQLite migration 7. Notices (the transactional outbox): written in the
    // transaction of the change they tell of; seq (identity) is the outbox order deliveries
    // follow. One global sequence with globally unique ids, like the audit log: a plain table
    // on the coordinator under Citus (a distributed table could not keep id unique without
    // the subject in the key, nor seq one increasing order), as are the small webhook tables.
    // webhook_deliveries: one row per (endpoint, notice), claimed by dispatchers under a lease.
    // kinds and body are jsonb (as cases' body); kinds is SQL NULL for every kind.
    version: 7,
    name: 'notices and webhook deliveries',
    sql: `
      CREATE TABLE notices (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id         text COLLATE "C" NOT NULL UNIQUE,
        subject    text COLLATE "C" NOT NULL,
        recipient  text COLLATE "C" NOT NULL,
        kind       text NOT NULL,
        created_at bigint NOT NULL,
        body       jsonb NOT NULL,
        read_at    bigint
      );
      CREATE INDEX notices_subject_seq ON notices (subject, seq);
      CREATE INDEX notices_recipient_seq ON notices (recipient, seq);

      CREATE TABLE webhook_endpoints (
        id          text COLLATE "C" NOT NULL PRIMARY KEY,
        url         text NOT NULL,
        secret      text NOT NULL,
        recipient   text COLLATE "C" NOT NULL,
        kinds       jsonb,
        description text NOT NULL,
        created_at  bigint NOT NULL,
        disabled_at bigint,
        cursor      bigint NOT NULL DEFAULT 0
      );

      CREATE TABLE webhook_deliveries (
        endpoint     text COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id),
        notice_seq   bigint NOT NULL,
        notice_id    text COLLATE "C" NOT NULL,
        status       text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts     integer NOT NULL,
        next_at      bigint,
        lease_until  bigint,
        last_status  integer,
        last_error   text,
        created_at   bigint NOT NULL,
        delivered_at bigint,
        PRIMARY KEY (endpoint, notice_seq)
      );
      CREATE INDEX webhook_deliveries_claim ON webhook_deliveries (status, next_at);
    `,
  },
  {
    // Retention: data past its period is found by age (records by when the conduct happened,
    // notices and cases by when they were made) and deleted for good.
    version: 8,
    name: 'retention: find records, notices and cases by age',
    sql: `
      CREATE INDEX records_type_occurred_at ON records (type, occurred_at);
      CREATE INDEX notices_created_at ON notices (created_at);
      CREATE INDEX cases_created_at ON cases (created_at);
    `,
  },
  {
    // A subject's consent to be named on a public red list, one row per subject and list.
    version: 9,
    name: 'publication consents',
    sql: `
      CREATE TABLE publication_consents (
        subject      text COLLATE "C" NOT NULL,
        list         text COLLATE "C" NOT NULL,
        given_at     bigint NOT NULL,
        given_by     text NOT NULL,
        withdrawn_at bigint,
        PRIMARY KEY (subject, list)
      );
      CREATE INDEX publication_consents_list ON publication_consents (list, subject);
    `,
  },
  {
    // Credit restoration granted: the listings a record caused end at this instant.
    version: 10,
    name: 'credit restoration',
    sql: `
      ALTER TABLE records ADD COLUMN restored_at bigint;
    `,
  },
  {
    // Four eyes per deployment: a record held for a second person's approval when stored (1).
    version: 11,
    name: 'four eyes',
    sql: `
      ALTER TABLE records ADD COLUMN four_eyes smallint;
    `,
  },
]);

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Advisory lock keys (pg_advisory_xact_lock(bigint)); arbitrary, fixed, distinct. */
export const LOCK_KEY = Object.freeze({
  migrate: 0x43_52_45_44_01, // 'CRED' 1
  audit: 0x43_52_45_44_02,
  /** Held from a write's notice inserts to its COMMIT, so notice seqs commit in order. */
  notices: 0x43_52_45_44_03,
});

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    applied_at bigint NOT NULL
  )`;

async function appliedVersions(client: PoolClient): Promise<Set<number>> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (exists.rows[0]?.t == null) return new Set();
  const rows = await client.query<{ version: number }>(`SELECT version FROM schema_migrations`);
  return new Set(rows.rows.map((r) => r.version));
}

export interface MigrationStatus {
  applied: number[];
  latest: number;
  pending: number[];
}

/** Applied versions against the code's latest. Throws if the database is newer than the code. */
export async function migrationStatus(client: PoolClient): Promise<MigrationStatus> {
  const applied = await appliedVersions(client);
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new Error(
      `database has schema migrations this code does not know (${unknown.join(', ')}): it was written by a newer version`,
    );
  }
  return {
    applied: [...applied].sort((a, b) => a - b),
    latest: LATEST_VERSION,
    pending: MIGRATIONS.filter((m) => !applied.has(m.version)).map((m) => m.version),
  };
}

/** Applies every pending migration in order, each in its own transaction. Idempotent. */
export async function migrate(client: PoolClient, now: () => number = Date.now): Promise<void> {
  const ordered = [...MIGRATIONS].sort((a, b) => a.version - b.version);
  for (const m of ordered) {
    await client.query('BEGIN');
    try {
      // Serialises migrators across processes; re-checked under the lock.
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY.migrate]);
      await client.query(CREATE_MIGRATIONS_TABLE);
      await migrationStatus(client); // fail fast on a database newer than the code
      const done = await client.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [m.version]);
      if (done.rowCount === 0) {
        await client.query(m.sql);
        await client.query(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [m.version, now()]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
  }
}
