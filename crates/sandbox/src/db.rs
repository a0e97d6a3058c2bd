//! The sandbox's SQLite database: users, TOTP enrollments, devices, logins
//! (challenges), sessions, the mailbox, the site's VAPID key and the
//! devices' push subscriptions. One connection behind a mutex, so
//! every request's checks and changes are atomic.

use rusqlite::{Connection, OptionalExtension, params};

/// The schema; `IF NOT EXISTS` so a database file can be reused across runs.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  salt BLOB NOT NULL,
  password_hash BLOB NOT NULL,
  totp_secret BLOB,
  totp_active INTEGER NOT NULL DEFAULT 0,
  last_step INTEGER,
  failed_codes INTEGER NOT NULL DEFAULT 0,
  failed_since INTEGER NOT NULL DEFAULT 0,
  paused_until INTEGER NOT NULL DEFAULT 0,
  mail_salt BLOB,
  mail_password_hash BLOB,
  blocked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS enrollments (
  token TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  secret BLOB NOT NULL,
  expires INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  session TEXT
);
CREATE TABLE IF NOT EXISTS devices (
  device_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  public_key TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS challenges (
  tx_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  session TEXT NOT NULL,
  nonce TEXT NOT NULL,
  number TEXT NOT NULL,
  number_match INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS challenges_by_user ON challenges (user_id, state);
CREATE TABLE IF NOT EXISTS seen_signatures (sig TEXT PRIMARY KEY, seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  sid TEXT PRIMARY KEY,
  user_id TEXT,
  state TEXT NOT NULL,
  tx_id TEXT,
  created INTEGER NOT NULL,
  csrf TEXT NOT NULL DEFAULT '',
  expires INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  since INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS site_keys (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS push_subscriptions (
  device_id TEXT PRIMARY KEY,
  endpoint TEXT NOT NULL,
  p256dh BLOB NOT NULL,
  auth BLOB NOT NULL,
  created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mailbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  link TEXT NOT NULL,
  token TEXT NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL
);
";

/// Columns added since the first schema, for databases made before them
/// (`make run` keeps its database between runs).
const ADDED_COLUMNS: [(&str, &str, &str); 6] = [
    ("users", "blocked", "INTEGER NOT NULL DEFAULT 0"),
    ("users", "mail_salt", "BLOB"),
    ("users", "mail_password_hash", "BLOB"),
    ("enrollments", "session", "TEXT"),
    ("sessions", "csrf", "TEXT NOT NULL DEFAULT ''"),
    ("sessions", "expires", "INTEGER NOT NULL DEFAULT 0"),
];

/// The path SQLite reads as a database held in memory, with no file.
const IN_MEMORY: &str = ":memory:";

/// Opens (creating if needed) the database at `path`. A new file is made
/// readable by its owner only (it holds TOTP secrets in clear): SQLite gives
/// its `-wal` and `-shm` files the same mode.
pub(crate) fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
    create_private(path).map_err(|e| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(format!("{}: {e}", path.display())),
        )
    })?;
    let connection = Connection::open(path)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    for (table, column, declaration) in ADDED_COLUMNS {
        let exists: bool = connection
            .query_row(
                "SELECT COUNT(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
                params![table, column],
                |r| r.get(0),
            )
            .unwrap_or(false);
        let table_exists: bool = connection.query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            params![table],
            |r| r.get(0),
        )?;
        if table_exists && !exists {
            connection.execute_batch(&format!(
                "ALTER TABLE {table} ADD COLUMN {column} {declaration}"
            ))?;
        }
    }
    connection.execute_batch(SCHEMA)?;
    Ok(connection)
}

/// Creates `path` as an empty `0600` file unless it exists, or unless it is
/// SQLite's `:memory:`, which names no file.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    if path.as_os_str() == IN_MEMORY {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// A user as the sandbox needs it.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) user_id: String,
    pub(crate) role: String,
    pub(crate) salt: Vec<u8>,
    pub(crate) password_hash: Vec<u8>,
    pub(crate) totp_secret: Option<Vec<u8>>,
    pub(crate) totp_active: bool,
    pub(crate) paused_until: u64,
    pub(crate) mail_salt: Option<Vec<u8>>,
    pub(crate) mail_password_hash: Option<Vec<u8>>,
    /// Blocked by an LPSE admin: no login, no enrollment, no approvals.
    pub(crate) blocked: bool,
}

pub(crate) fn user(db: &Connection, user_id: &str) -> rusqlite::Result<Option<User>> {
    db.query_row(
        "SELECT user_id, role, salt, password_hash, totp_secret, totp_active, paused_until,
         mail_salt, mail_password_hash, blocked FROM users WHERE user_id = ?1",
        params![user_id],
        |row| {
            Ok(User {
                user_id: row.get(0)?,
                role: row.get(1)?,
                salt: row.get(2)?,
                password_hash: row.get(3)?,
                totp_secret: row.get(4)?,
                totp_active: row.get(5)?,
                paused_until: row.get(6)?,
                mail_salt: row.get(7)?,
                mail_password_hash: row.get(8)?,
                blocked: row.get(9)?,
            })
        },
    )
    .optional()
}

/// A login waiting for (or given) an answer.
#[derive(Debug, Clone)]
pub(crate) struct ChallengeRow {
    pub(crate) tx_id: String,
    pub(crate) user_id: String,
    pub(crate) session: String,
    pub(crate) nonce: String,
    pub(crate) number: String,
    pub(crate) number_match: bool,
    pub(crate) ip: String,
    pub(crate) user_agent: String,
    pub(crate) created: u64,
    pub(crate) expires: u64,
    pub(crate) state: String,
    pub(crate) attempts: u32,
}

const CHALLENGE_COLUMNS: &str = "tx_id, user_id, session, nonce, number, number_match, ip,
    user_agent, created, expires, state, attempts";

fn challenge_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ChallengeRow> {
    Ok(ChallengeRow {
        tx_id: row.get(0)?,
        user_id: row.get(1)?,
        session: row.get(2)?,
        nonce: row.get(3)?,
        number: row.get(4)?,
        number_match: row.get(5)?,
        ip: row.get(6)?,
        user_agent: row.get(7)?,
        created: row.get(8)?,
        expires: row.get(9)?,
        state: row.get(10)?,
        attempts: row.get(11)?,
    })
}

pub(crate) fn challenge(db: &Connection, tx_id: &str) -> rusqlite::Result<Option<ChallengeRow>> {
    db.query_row(
        &format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE tx_id = ?1"),
        params![tx_id],
        challenge_row,
    )
    .optional()
}

pub(crate) fn pending_challenges(
    db: &Connection,
    user_id: &str,
    now: u64,
) -> rusqlite::Result<Vec<ChallengeRow>> {
    let mut statement = db.prepare_cached(&format!(
        "SELECT {CHALLENGE_COLUMNS} FROM challenges
         WHERE user_id = ?1 AND state = 'pending' AND expires > ?2 ORDER BY created"
    ))?;
    statement
        .query_map(params![user_id, now], challenge_row)?
        .collect()
}

/// A device bound to a user.
#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub(crate) device_id: String,
    pub(crate) user_id: String,
    pub(crate) public_key: String,
}

pub(crate) fn device(db: &Connection, device_id: &str) -> rusqlite::Result<Option<Device>> {
    db.query_row(
        "SELECT device_id, user_id, public_key FROM devices WHERE device_id = ?1",
        params![device_id],
        |row| {
            Ok(Device {
                device_id: row.get(0)?,
                user_id: row.get(1)?,
                public_key: row.get(2)?,
            })
        },
    )
    .optional()
}
