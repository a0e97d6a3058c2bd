//! A reference SPSE server, for the demo (`make run`) and the tests: the
//! server side of the SPSE authenticator protocol (docs/protocol.md) and
//! small Indonesian pages like SPSE v4.5's (login, Beranda, Aktivasi TOTP
//! with its QR, the 60 s waiting page, the code page, Reset TOTP by mail),
//! over SQLite. It keeps every rule of docs/protocol.md section 8.

mod api;
mod db;
mod pages;
mod push;
#[cfg(feature = "testing")]
pub mod testing;
mod tls;
mod totp;
mod webpush;

pub use tls::{HANDSHAKE_TIMEOUT, SelfSigned, TlsError};

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub(crate) use spse_protocol::now_ms;

use axum::Router;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::{Connection, params};
use spse_otp::{Field, ServerUrl};
use tokio::sync::Notify;

/// What the sandbox is started with.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite database file.
    pub db: PathBuf,
    /// The base URL the QR codes name (`http://127.0.0.1:PORT`).
    pub base_url: String,
    /// The site's name, shown in pages and given at enrollment.
    pub site_name: String,
    /// How long an Aktivasi QR code (and its token) lives.
    pub qr_ttl: Duration,
    /// How long a login waits for the app.
    pub challenge_ttl: Duration,
    /// Push logins a user may start in 10 minutes before the site stops
    /// sending them (and offers the code page instead).
    pub push_limit: u32,
}

/// Errors starting the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be opened or written.
    #[error("db: {0}")]
    Db(#[from] rusqlite::Error),
    /// The system random generator failed.
    #[error("random: the system random generator failed")]
    Random,
    /// The base URL is not one the app would accept from a QR code.
    #[error(transparent)]
    BaseUrl(#[from] spse_otp::Error),
    /// The VAPID key stored in the database is not a P-256 PKCS#8 key.
    #[error("vapid key: the stored key is not a P-256 PKCS#8 key")]
    VapidKey,
}

/// The shared state of every request.
pub(crate) struct State {
    pub(crate) config: Config,
    origin: String,
    /// Shared with the push tasks, which delete gone subscriptions.
    db: Arc<Mutex<Connection>>,
    /// The Web Push sender: the site's VAPID key (docs/protocol.md 6.6).
    pub(crate) pusher: Arc<push::Pusher>,
    /// Per user ID, woken when a login for that user is created: a login
    /// wakes its own user's long polls, not everyone's.
    waiters: Mutex<HashMap<String, Arc<Notify>>>,
    /// Per device, the long poll it has open: a new poll from the same
    /// device ends the old one, so a device holds one poll at most.
    polls: Mutex<HashMap<String, (u64, Arc<Notify>)>>,
    /// Per user ID, woken when one of that user's logins is decided: the
    /// waiting page's long poll moves on the moment the app answers.
    settled: Mutex<HashMap<String, Arc<Notify>>>,
    next_poll: AtomicU64,
    /// Long polls woken by a new login (for tests: a login must wake only
    /// its user's polls).
    pub(crate) wakeups: AtomicU64,
    rng: SystemRandom,
}

/// A demo user made by [`Sandbox::seed_demo`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// The SPSE user ID.
    pub user_id: String,
    /// Its password.
    pub password: String,
    /// The password of its sandbox mailbox, where "Reset TOTP" mails go: a
    /// credential of its own, as a real mailbox has, so the SPSE password
    /// alone cannot turn TOTP off.
    pub mailbox_password: String,
    /// `ppk`, `pokja` or `penyedia`.
    pub role: String,
}

/// A running sandbox's handle: its router and state.
#[derive(Clone)]
pub struct Sandbox {
    state: Arc<State>,
}

impl Sandbox {
    /// Opens the database and prepares the routes.
    pub fn new(config: Config) -> Result<Sandbox, Error> {
        // The app's own reading of the URL, so both ends sign one origin.
        let url = ServerUrl::parse(Field::Spse, &config.base_url)?;
        let origin = url.origin().to_owned();
        let db = db::open(&config.db)?;
        // A site on loopback or a private network is a training site: it
        // may push to http:// and to its own network (the tests' receivers).
        let pusher = push::Pusher::open(&db, &origin, url.on_private_network())?;
        Ok(Sandbox {
            state: Arc::new(State {
                config,
                origin,
                db: Arc::new(Mutex::new(db)),
                pusher: Arc::new(pusher),
                waiters: Mutex::new(HashMap::new()),
                settled: Mutex::new(HashMap::new()),
                polls: Mutex::new(HashMap::new()),
                next_poll: AtomicU64::new(0),
                wakeups: AtomicU64::new(0),
                rng: SystemRandom::new(),
            }),
        })
    }

    /// Every route: the protocol under `/authenticator/v1`, the pages at `/`.
    pub fn router(&self) -> Router {
        api::routes()
            .merge(pages::routes())
            .with_state(Arc::clone(&self.state))
    }

    /// Starts a push login for `user_id` as if its password had just been
    /// typed (no browser session): the benchmark's way to time delivery from
    /// the moment a login exists. `None` when no push can be sent (no
    /// device, paused, or over the push limit).
    pub fn push_login(&self, user_id: &str) -> Option<String> {
        let user = db::user(&self.state.db(), user_id).ok().flatten()?;
        let sid = self.state.random_token();
        let tx = pages::start_challenge(&self.state, &user, &sid, "127.0.0.1", "bench", now_ms())?;
        self.state.wake(user_id);
        Some(tx)
    }

    /// Makes the demo users (idempotent): PPK2 and pokja1, officials who
    /// approve logins with the app, and penyedia1, a provider who types codes.
    pub fn seed_demo(&self) -> Result<Vec<DemoUser>, Error> {
        let users = [
            ("PPK2", "ppk", "Pejabat Pembuat Komitmen 2"),
            ("pokja1", "pokja", "Anggota Pokja Pemilihan 1"),
            ("penyedia1", "penyedia", "CV Maju Jaya"),
        ];
        let mut made = Vec::new();
        for (user_id, role, name) in users {
            let password = format!("latihan-{user_id}");
            let mailbox_password = format!("surat-{user_id}");
            self.state
                .add_user(user_id, role, name, &password, &mailbox_password)?;
            made.push(DemoUser {
                user_id: user_id.into(),
                password,
                mailbox_password,
                role: role.into(),
            });
        }
        Ok(made)
    }

    /// Blocks (or unblocks) a user, as an LPSE admin does: a blocked user
    /// cannot log in, and the protocol answers `blocked` to their enrollment,
    /// their device's polls, decisions and status.
    pub fn block_user(&self, user_id: &str, blocked: bool) -> Result<(), Error> {
        self.state.db().execute(
            "UPDATE users SET blocked = ?2 WHERE user_id = ?1",
            params![user_id, blocked],
        )?;
        Ok(())
    }

    /// How many long polls a new login has woken so far.
    pub fn poll_wakeups(&self) -> u64 {
        self.state.wakeups.load(Ordering::Relaxed)
    }
}

/// One device's open long poll, ended when dropped.
pub(crate) struct Poll<'a> {
    state: &'a State,
    device_id: String,
    id: u64,
    /// Woken when the device opens a newer poll.
    pub(crate) superseded: Arc<Notify>,
    /// Woken when a login for the device's user is created.
    pub(crate) new_login: Arc<Notify>,
}

impl Drop for Poll<'_> {
    fn drop(&mut self) {
        if let Ok(mut polls) = self.state.polls.lock()
            && polls
                .get(&self.device_id)
                .is_some_and(|(id, _)| *id == self.id)
        {
            polls.remove(&self.device_id);
        }
        if let Ok(mut waiters) = self.state.waiters.lock() {
            // Only the map and this poll hold it: nobody else waits.
            waiters.retain(|_, notify| {
                Arc::strong_count(notify) > 2 || !Arc::ptr_eq(notify, &self.new_login)
            });
        }
    }
}

impl State {
    pub(crate) fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written
        // (each change is one statement or transaction): keep serving.
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Opens `device_id`'s long poll for `user_id`'s logins, ending the
    /// device's earlier poll if one is still open.
    pub(crate) fn open_poll(&self, device_id: &str, user_id: &str) -> Poll<'_> {
        let id = self.next_poll.fetch_add(1, Ordering::Relaxed);
        let superseded = Arc::new(Notify::new());
        let previous = self
            .polls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(device_id.to_owned(), (id, Arc::clone(&superseded)));
        if let Some((_, previous)) = previous {
            previous.notify_waiters();
        }
        let new_login = Arc::clone(
            self.waiters
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(user_id.to_owned())
                .or_default(),
        );
        Poll {
            state: self,
            device_id: device_id.to_owned(),
            id,
            superseded,
            new_login,
        }
    }

    /// Wakes the long polls waiting for `user_id`'s logins.
    pub(crate) fn wake(&self, user_id: &str) {
        let notify = self
            .waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user_id)
            .cloned();
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }

    /// What `user_id`'s waiting pages wait on until a login of theirs is
    /// decided.
    pub(crate) fn settled_signal(&self, user_id: &str) -> Arc<Notify> {
        Arc::clone(
            self.settled
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(user_id.to_owned())
                .or_default(),
        )
    }

    /// Wakes `user_id`'s waiting pages: a login of theirs was decided.
    pub(crate) fn settle(&self, user_id: &str) {
        let notify = self
            .settled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(user_id);
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }

    /// Wakes `user_id`'s devices through the push endpoints they
    /// registered (in the background), with `db` the locked database.
    pub(crate) fn push(&self, db: &Connection, user_id: &str) {
        push::login(&self.db, db, &self.pusher, user_id);
    }

    /// What `POST /enroll` and `GET /device` tell the app about push.
    pub(crate) fn push_info(&self) -> spse_protocol::wire::PushInfo {
        spse_protocol::wire::PushInfo {
            vapid_key: self.pusher.vapid.public_b64(),
        }
    }

    /// The site's origin, as decisions sign it.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    pub(crate) fn random_bytes<const N: usize>(&self) -> [u8; N] {
        let mut bytes = [0u8; N];
        // SystemRandom reads the OS generator; it does not fail on Linux.
        let _ = self.rng.fill(&mut bytes);
        bytes
    }

    pub(crate) fn random_token(&self) -> String {
        B64.encode(self.random_bytes::<18>())
    }

    fn add_user(
        &self,
        user_id: &str,
        role: &str,
        name: &str,
        password: &str,
        mailbox_password: &str,
    ) -> Result<(), Error> {
        let salt = self.random_bytes::<16>();
        let mail_salt = self.random_bytes::<16>();
        let db = self.db();
        db.execute(
            "INSERT OR IGNORE INTO users (user_id, name, role, salt, password_hash)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                user_id,
                name,
                role,
                salt.to_vec(),
                hash_password(&salt, password).to_vec()
            ],
        )?;
        // Also for users made before mailboxes had their own password.
        db.execute(
            "UPDATE users SET mail_salt = ?2, mail_password_hash = ?3
             WHERE user_id = ?1 AND mail_password_hash IS NULL",
            params![
                user_id,
                mail_salt.to_vec(),
                hash_password(&mail_salt, mailbox_password).to_vec()
            ],
        )?;
        Ok(())
    }
}

/// PBKDF2-HMAC-SHA256, 100,000 rounds: even a sandbox stores no plain passwords.
pub(crate) fn hash_password(salt: &[u8], password: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::MIN.saturating_add(99_999),
        salt,
        password.as_bytes(),
        &mut out,
    );
    out
}

/// Equality whose time does not depend on where the inputs differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The base URL of a server listening on `addr` over plain HTTP, written
/// as a browser would (no `:80`).
pub fn http_base_url(addr: SocketAddr) -> String {
    base_url("http", 80, addr)
}

/// The base URL of a server listening on `addr` over HTTPS (no `:443`).
pub fn https_base_url(addr: SocketAddr) -> String {
    base_url("https", 443, addr)
}

fn base_url(scheme: &str, default_port: u16, addr: SocketAddr) -> String {
    let host = match addr.ip() {
        std::net::IpAddr::V4(ip) => ip.to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
    };
    if addr.port() == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{}", addr.port())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        Config {
            db: PathBuf::from(":memory:"),
            base_url: base_url.to_owned(),
            site_name: "LPSE".into(),
            qr_ttl: Duration::from_secs(60),
            challenge_ttl: Duration::from_secs(60),
            push_limit: 5,
        }
    }

    /// One origin for both ends (review of the specs, item 2): the default
    /// port of either scheme is left out, any other port kept, a path dropped.
    #[test]
    fn origins_are_the_apps_own_reading() {
        for (base, origin) in [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:80", "http://127.0.0.1"),
            ("http://127.0.0.1", "http://127.0.0.1"),
            ("https://127.0.0.1:443", "https://127.0.0.1"),
            ("https://127.0.0.1:8443", "https://127.0.0.1:8443"),
            (
                "https://latihan-lpse.lkpp.go.id/spse45totp",
                "https://latihan-lpse.lkpp.go.id",
            ),
        ] {
            let sandbox = Sandbox::new(config(base)).unwrap();
            assert_eq!(sandbox.state.origin(), origin, "{base}");
            let client_side = ServerUrl::parse(Field::Spse, base).unwrap();
            assert_eq!(client_side.origin(), origin, "{base}");
        }
        assert!(
            Sandbox::new(config("http://203.0.113.7")).is_err(),
            "public http"
        );
    }

    #[test]
    fn base_urls_leave_out_default_ports() {
        let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
        assert_eq!(http_base_url(at(80)), "http://127.0.0.1");
        assert_eq!(http_base_url(at(8080)), "http://127.0.0.1:8080");
        assert_eq!(https_base_url(at(443)), "https://127.0.0.1");
        assert_eq!(https_base_url(at(80)), "https://127.0.0.1:80");
        let v6 = SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 8080));
        assert_eq!(http_base_url(v6), "http://[::1]:8080");
    }
}
