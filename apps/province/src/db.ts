import pg from 'pg';

/**
 * The province's schema, one numbered migration per entry, applied in order in one transaction
 * at start (`schema_migrations` holds what was applied). A database newer than the code is
 * refused rather than misread. Never edit a migration once released: add the next one.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'communes, day tallies, receipts, audit',
    sql: `
      -- One row per setting the server keeps for itself (the admin password's scrypt hash).
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text NOT NULL
      );

      -- A commune and its link. Only hashes of its enrolment key and push token are kept.
      CREATE TABLE communes (
        code text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL,
        enrolment_key_hash text UNIQUE,
        enrolment_expires_at timestamptz,
        -- The last key used, so a second try with it is told "already used", not "wrong".
        used_key_hash text,
        token_hash text UNIQUE,
        enrolled_at timestamptz,
        revoked_at timestamptz,
        -- The hub's sequence: its epoch (hub ms) and the last seq stored under it.
        epoch bigint,
        last_seq bigint NOT NULL DEFAULT 0,
        last_push_at timestamptz,
        hub_version text,
        utc_offset_minutes integer,
        -- The names a report puts beside ids (CommuneConfig), and the (epoch, seq) that brought it.
        config jsonb,
        config_epoch bigint,
        config_seq bigint
      );

      -- Tokens revoked or replaced (rotate, revoke, re-enrolment): a hub still pushing with one
      -- is told "revoked, re-enrol" instead of "unknown token".
      CREATE TABLE revoked_tokens (
        token_hash text PRIMARY KEY,
        commune_code text NOT NULL REFERENCES communes (code),
        revoked_at timestamptz NOT NULL
      );

      -- A commune's past days: the one tally per day with the highest (epoch, seq) wins.
      -- Not partitioned: one row per commune and day is ~36,500 rows a year for 100 communes
      -- (a few hundred MB over ten years with its durations), read by primary key ranges; a
      -- partition per month would add planning cost to every report and buy nothing.
      CREATE TABLE day_tallies (
        commune_code text NOT NULL REFERENCES communes (code),
        day date NOT NULL,
        utc_offset_minutes integer NOT NULL,
        version integer NOT NULL,
        tally bytea NOT NULL,
        epoch bigint NOT NULL,
        seq bigint NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (commune_code, day)
      );

      -- Today's running tally of each commune, replaced at every push (not in the sequence).
      CREATE TABLE today_tallies (
        commune_code text PRIMARY KEY REFERENCES communes (code),
        day date NOT NULL,
        utc_offset_minutes integer NOT NULL,
        version integer NOT NULL,
        as_of bigint NOT NULL,
        tally bytea NOT NULL,
        received_at timestamptz NOT NULL
      );

      -- Every push stored: the table that grows with each push of each commune (a hundred
      -- communes pushing every minute is ~4 million rows a month), so it is partitioned by
      -- month: old months are dropped or archived whole, and a month's rows sit together.
      -- Partitions are made ahead, on demand (ensurePartitions).
      CREATE TABLE push_receipts (
        commune_code text NOT NULL,
        received_at timestamptz NOT NULL,
        epoch bigint NOT NULL,
        first_seq bigint,
        last_seq bigint NOT NULL,
        items integer NOT NULL,
        with_today boolean NOT NULL,
        bytes integer NOT NULL,
        hub_version text NOT NULL,
        sent_at bigint NOT NULL
      ) PARTITION BY RANGE (received_at);
      CREATE INDEX push_receipts_commune ON push_receipts (commune_code, received_at);

      -- Every admin action, and every enrolment.
      CREATE TABLE admin_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        action text NOT NULL,
        commune_code text,
        address text,
        detail jsonb
      );
    `,
  },
  {
    version: 2,
    name: 'users, sessions, audit by user (issue 19)',
    sql: `
      -- The province's own people: a password each (scrypt), admin or viewer. The one admin
      -- password of version 1 becomes user admin's.
      CREATE TABLE users (
        username text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        role text NOT NULL CHECK (role IN ('admin', 'viewer')),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        last_login_at timestamptz
      );
      INSERT INTO users (username, name, role, password_hash, created_at)
        SELECT 'admin', 'Quản trị tỉnh', 'admin', value, now() FROM settings WHERE key = 'admin_password_hash';
      DELETE FROM settings WHERE key = 'admin_password_hash';

      -- A logged-in page: only the sha256 of its bearer token, so a copied database logs no one
      -- in; kept here (not in memory) so a restart keeps everyone logged in.
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_username ON sessions (username);

      -- Who did it (a username, cli, system), on what (a commune code or a username), and one
      -- Vietnamese line saying what changed.
      ALTER TABLE admin_audit ADD COLUMN actor text, ADD COLUMN target text, ADD COLUMN summary text;
      UPDATE admin_audit SET
        actor = CASE WHEN address = 'cli' THEN 'cli' WHEN address = 'start' OR action = 'commune.enrol' THEN 'system' ELSE 'admin' END,
        target = commune_code,
        action = CASE action
          WHEN 'commune.add' THEN 'commune:create' WHEN 'commune.rotate' THEN 'commune:rotate'
          WHEN 'commune.revoke' THEN 'commune:revoke' WHEN 'commune.rename' THEN 'commune:rename'
          WHEN 'commune.enrol' THEN 'commune:enrol' WHEN 'admin.login' THEN 'session:login'
          WHEN 'admin.password' THEN 'user:password' ELSE action END;
      CREATE INDEX admin_audit_at ON admin_audit (at DESC);
    `,
  },
];

/** Any one-off lock key: migrations and partition-making from two processes take turns. */
const SCHEMA_LOCK = 18_2018;

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

/** bigint columns come back as numbers: every one here (ms, seq) is far below 2^53. */
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
/** `date` columns stay `YYYY-MM-DD` (pg would make a local-time Date of them). */
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** A pool on `url`, its idle clients' errors logged instead of crashing the server. */
export function openPool(url: string, log: (line: string) => void = () => undefined): Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => log(`PostgreSQL: ${error.message}`));
  return pool;
}

/** Runs `fn` in one transaction on one client: COMMIT after it resolves, ROLLBACK if it throws. */
export async function transaction<T>(pool: Pool, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const result = await fn(c);
    await c.query('COMMIT');
    return result;
  } catch (error) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    c.release();
  }
}

/**
 * Applies the pending migrations in one transaction, under a lock (two servers starting on one
 * database take turns). Returns the versions applied.
 * @throws Error when the database is newer than this code.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  return transaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    if (current > newest) throw new Error(`Cơ sở dữ liệu ở phiên bản ${current}, mới hơn máy chủ này (${newest}): hãy cập nhật máy chủ tỉnh.`);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** `push_receipts_2026_07`: the partition of the month holding `at`. */
export function partitionName(at: number): string {
  const d = new Date(at);
  return `push_receipts_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

const monthStart = (at: number, plus = 0): Date => {
  const d = new Date(at);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plus, 1));
};

/**
 * Makes the receipt log's partitions for the month of `at` and the next one, if missing (months
 * in UTC: a partition's bounds are instants, the month only names it). Run at start, once an
 * hour, and before a push lands in a month not yet seen, so no push waits on DDL in its own
 * transaction.
 */
export async function ensurePartitions(pool: Pool, at: number): Promise<string[]> {
  return transaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    const made: string[] = [];
    for (const plus of [0, 1]) {
      const from = monthStart(at, plus);
      const to = monthStart(at, plus + 1);
      const name = partitionName(from.getTime());
      const exists = await c.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
      if (exists.rowCount) continue;
      await c.query(`CREATE TABLE ${name} PARTITION OF push_receipts FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
      made.push(name);
    }
    return made;
  });
}
