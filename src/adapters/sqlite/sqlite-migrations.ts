// SQLite schema migrations: an ordered array, each applied once in its own IMMEDIATE
// transaction and recorded in schema_migrations(version, applied_at). Append new
// migrations at the end; never edit one that has shipped. Only adapters know SQL.
//
// Every per-subject table is keyed by subject id first (subjects, subject_states) or carries
// it with an index leading on it (records, audit_log), so the PostgreSQL twin of this schema
// can be distributed by subject with Citus; catalogue and schemes are small reference tables.
//
// records layout, measured on these machines (200k rows, 10k-row IMMEDIATE transactions,
// WAL + synchronous=FULL + cache_size=-65536, index (subject, seq), FK to subjects,
// an existence check per id as commit() does; 3 runs each):
//   WITHOUT ROWID, PRIMARY KEY id, UNIQUE seq ........ 45k-53k rows/s
//   rowid table, seq INTEGER PRIMARY KEY, UNIQUE id ... 63k-86k rows/s (kept)
// With rowid = seq the table b-tree is an append (seq only grows) and only the narrow id
// and (subject, seq) indexes take random-position inserts; WITHOUT ROWID puts whole rows,
// payload included, at random positions of the id b-tree. The FK costs little (<10%).
import type { SqliteDb } from './sqlite-store.ts';

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
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        version  TEXT NOT NULL,
        body     TEXT NOT NULL
      );

      CREATE TABLE schemes (
        id           TEXT NOT NULL,
        version      INTEGER NOT NULL,
        status       TEXT NOT NULL,
        published_at INTEGER,
        body         TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) WITHOUT ROWID;

      CREATE TABLE subjects (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        id_scheme    TEXT NOT NULL,
        display_name TEXT,
        household    TEXT,
        area         TEXT,
        created_at   INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE records (
        seq              INTEGER PRIMARY KEY,
        id               TEXT NOT NULL UNIQUE,
        source           TEXT NOT NULL,
        source_record_id TEXT NOT NULL,
        subject          TEXT NOT NULL REFERENCES subjects (id),
        type             TEXT NOT NULL,
        occurred_at      INTEGER NOT NULL,
        recorded_at      INTEGER NOT NULL,
        payload          TEXT NOT NULL,
        evidence         TEXT NOT NULL,
        revokes          TEXT,
        revoked_at       INTEGER,
        revoked_by       TEXT,
        disputed_at      INTEGER,
        confirmed_at     INTEGER
      );
      CREATE INDEX records_subject_seq ON records (subject, seq);

      CREATE TABLE subject_states (
        subject     TEXT NOT NULL REFERENCES subjects (id),
        scheme      TEXT NOT NULL,
        score       REAL NOT NULL,
        grade       TEXT NOT NULL,
        computed_at INTEGER NOT NULL,
        valid_until INTEGER,
        ledger      TEXT NOT NULL,
        PRIMARY KEY (subject, scheme)
      ) WITHOUT ROWID;
      CREATE INDEX subject_states_scheme_grade ON subject_states (scheme, grade);
      CREATE INDEX subject_states_scheme_valid_until ON subject_states (scheme, valid_until);

      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        subject   TEXT,
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      );
      CREATE INDEX audit_log_subject_seq ON audit_log (subject, seq);
    `,
  },
  {
    version: 2,
    name: 'http api access: keys, providers, idempotency',
    sql: `
      CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        role        TEXT NOT NULL,
        name        TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,
        binding     TEXT,
        created_at  INTEGER NOT NULL,
        created_by  TEXT NOT NULL,
        expires_at  INTEGER,
        revoked_at  INTEGER,
        replaced_by TEXT
      ) WITHOUT ROWID;

      CREATE TABLE providers (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        measures   TEXT NOT NULL,
        purposes   TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE idempotency (
        key_id      TEXT NOT NULL,
        idem_key    TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        status      INTEGER,
        body        TEXT,
        PRIMARY KEY (key_id, idem_key)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_created_at ON idempotency (created_at);
    `,
  },
  {
    // Optimistic concurrency and audit coverage (test/concurrency.int.test.ts). A subject's
    // stream position counts the changes to it (records appended, dispute marks); a write
    // states the positions it read and is refused if one moved, so two writers on one file
    // can no longer overwrite each other's materialised state. Backfill: positions from the
    // records in seq order; states written before are not trusted (they may carry such a lost
    // update), so they start behind (-1) and are recomputed from the records on the next read
    // or rescore; records are linked to the ingest entry whose first..last range holds them.
    version: 3,
    name: 'stream positions, state positions, audit coverage of records',
    sql: `
      ALTER TABLE subjects ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE records ADD COLUMN position INTEGER;
      ALTER TABLE records ADD COLUMN audit_seq INTEGER;
      ALTER TABLE subject_states ADD COLUMN position INTEGER NOT NULL DEFAULT -1;

      UPDATE records SET position = p.pos
      FROM (SELECT seq, row_number() OVER (PARTITION BY subject ORDER BY seq) AS pos FROM records) AS p
      WHERE records.seq = p.seq;
      UPDATE subjects SET position = c.n
      FROM (SELECT subject, count(*) AS n FROM records GROUP BY subject) AS c
      WHERE subjects.id = c.subject;

      UPDATE records SET audit_seq = cover.audit_seq
      FROM (
        SELECT a.seq AS audit_seq, f.seq AS first_seq, l.seq AS last_seq
        FROM audit_log a
        JOIN records f ON f.id = json_extract(a.detail, '$.first')
        JOIN records l ON l.id = json_extract(a.detail, '$.last')
        WHERE a.action = 'records.ingest'
      ) AS cover
      WHERE records.seq BETWEEN cover.first_seq AND cover.last_seq;
    `,
  },
  {
    // Subject attributes leave the store: a household or area label is not a fact about a
    // person that a bureau needs to score them, and no rule may read it (charter: no guilt by
    // association). The grid module keeps households and cells in its own tables, for notice
    // boards only. Nothing ever wrote these columns outside tests; they are dropped, not kept.
    version: 4,
    name: 'subjects without household and area',
    sql: `
      ALTER TABLE subjects DROP COLUMN household;
      ALTER TABLE subjects DROP COLUMN area;
    `,
  },
  {
    // Due process: a record may be withdrawn by its source, and a community source's record
    // waits for a reviewer (approved or rejected); disputes and review items are cases, each a
    // document with the columns the review queue filters on.
    version: 5,
    name: 'withdrawal, review and cases',
    sql: `
      ALTER TABLE records ADD COLUMN withdrawn_at INTEGER;
      ALTER TABLE records ADD COLUMN approved_at INTEGER;
      ALTER TABLE records ADD COLUMN rejected_at INTEGER;
      CREATE TABLE cases (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        subject     TEXT NOT NULL REFERENCES subjects (id),
        status      TEXT NOT NULL,
        due_at      INTEGER,
        assignee    TEXT,
        record      TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        body        TEXT NOT NULL
      );
      CREATE INDEX cases_subject ON cases (subject, id);
      CREATE INDEX cases_status ON cases (kind, status, due_at);
      CREATE INDEX cases_record ON cases (record);
    `,
  },
  {
    // Consent tokens (the access port): a subject's consent to one provider, purpose and
    // measure, bounded in uses and time; the token is stored as its SHA-256 only.
    version: 6,
    name: 'consent tokens',
    sql: `
      CREATE TABLE consents (
        id           TEXT PRIMARY KEY,
        hash         TEXT NOT NULL UNIQUE,
        subject      TEXT NOT NULL,
        provider     TEXT NOT NULL,
        purpose      TEXT NOT NULL,
        measure      TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        created_by   TEXT NOT NULL,
        expires_at   INTEGER NOT NULL,
        max_uses     INTEGER NOT NULL,
        uses         INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at   INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX consents_subject ON consents (subject, created_at);
    `,
  },
  {
    // Notices (the transactional outbox) and their delivery by webhook. A notice is written
    // in the transaction of the change it tells of; its seq is AUTOINCREMENT so that a seq is
    // never handed out twice, even after the highest row is gone: endpoint cursors and
    // deliveries refer to notices by seq. Each endpoint's cursor says how far the outbox has
    // been fanned out to it; a delivery is one notice to one endpoint, claimed by a dispatcher
    // through a lease (lease_until) and found by status and due time. kinds is a JSON array
    // or NULL (every kind). No foreign key from a delivery to its notice: the port lets
    // fanOut name any seq in the cursor's range, as the in-memory twin does.
    version: 7,
    name: 'notices outbox and webhook deliveries',
    sql: `
      CREATE TABLE notices (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        id         TEXT NOT NULL UNIQUE,
        subject    TEXT NOT NULL REFERENCES subjects (id),
        recipient  TEXT NOT NULL,
        kind       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        body       TEXT NOT NULL,
        read_at    INTEGER
      );
      CREATE INDEX notices_subject_seq ON notices (subject, seq);
      CREATE INDEX notices_recipient_seq ON notices (recipient, seq);

      CREATE TABLE webhook_endpoints (
        id          TEXT PRIMARY KEY,
        url         TEXT NOT NULL,
        secret      TEXT NOT NULL,
        recipient   TEXT NOT NULL,
        kinds       TEXT,
        description TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        disabled_at INTEGER,
        cursor      INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE webhook_deliveries (
        endpoint     TEXT NOT NULL REFERENCES webhook_endpoints (id),
        notice_seq   INTEGER NOT NULL,
        notice_id    TEXT NOT NULL,
        status       TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        next_at      INTEGER,
        lease_until  INTEGER,
        last_status  INTEGER,
        last_error   TEXT,
        created_at   INTEGER NOT NULL,
        delivered_at INTEGER,
        PRIMARY KEY (endpoint, notice_seq)
      ) WITHOUT ROWID;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
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
        subject      TEXT NOT NULL,
        list         TEXT NOT NULL,
        given_at     INTEGER NOT NULL,
        given_by     TEXT NOT NULL,
        withdrawn_at INTEGER,
        PRIMARY KEY (subject, list)
      ) WITHOUT ROWID;
      CREATE INDEX publication_consents_list ON publication_consents (list, subject);
    `,
  },
  {
    // Credit restoration granted: the listings a record caused end at this instant.
    version: 10,
    name: 'credit restoration',
    sql: `
      ALTER TABLE records ADD COLUMN restored_at INTEGER;
    `,
  },
  {
    // Four eyes per deployment: a record held for a second person's approval when stored (1).
    version: 11,
    name: 'four eyes',
    sql: `
      ALTER TABLE records ADD COLUMN four_eyes INTEGER;
    `,
  },
]);

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
  )`;

function appliedVersions(db: SqliteDb): Set<number> {
  const exists = db
    .prepare(`SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (exists === undefined) return new Set();
  const rows = db.prepare(`SELECT version FROM schema_migrations`).all() as { version: number }[];
  return new Set(rows.map((r) => r.version));
}

export interface MigrationStatus {
  applied: number[];
  latest: number;
  pending: number[];
}

/** Applied versions against the code's latest. Throws if the database is newer than the code. */
export function migrationStatus(db: SqliteDb): MigrationStatus {
  const applied = appliedVersions(db);
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

/** Applies every pending migration in order, each in its own IMMEDIATE transaction. Idempotent. */
export function migrate(db: SqliteDb, now: () => number = Date.now): void {
  db.exec(CREATE_MIGRATIONS_TABLE);
  migrationStatus(db); // fail fast on a database newer than the code
  const isApplied = db.prepare(`SELECT 1 AS one FROM schema_migrations WHERE version = ?`);
  const record = db.prepare(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`);
  const ordered = [...MIGRATIONS].sort((a, b) => a.version - b.version);
  for (const m of ordered) {
    // Re-checked inside the write lock: another process may have applied it meanwhile.
    const apply = db.transaction(() => {
      if (isApplied.get(m.version) !== undefined) return;
      db.exec(m.sql);
      record.run(m.version, now());
    });
    apply.immediate();
  }
}
