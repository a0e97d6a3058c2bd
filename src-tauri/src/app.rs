//! The app's state and every command's logic, free of Tauri so the tests
//! drive it directly: the vault (shared as `spse-accounts` wants it), one
//! client for every site, the payloads previewed but not yet added, what
//! each site last said, the waiting logins, the settings, and the poller.
//! What reaches the window goes through a [`Host`]: events and the
//! clipboard.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use spse_accounts::removal::{self, SiteCheck};
use spse_accounts::sites::{self, code_time, device_of};
use spse_accounts::{EnrollOptions, Settled};
use spse_client::Client;
use spse_otp::{Account, Algorithm, Kind, Payload, Secret};
use spse_protocol::now_ms;
use spse_protocol::wire::{Challenge, ErrorCode as WireCode};
use spse_vault::{Keystore, StoredAccount, Vault};
use zeroize::Zeroizing;

use crate::error::{AppError, ErrorCode};
use crate::views::{
    About, AccountView, AccountsView, Added, CodeView, CodesView, Decided, DecisionView, LICENCES,
    LinkView, LoginView, ManualAccount, ManualKind, Preview, PreviewAccount, RecoveredView,
    RemovalCheck, RestoredFrom, Settings, SiteState, SiteStateEvent, SiteView,
};

/// Event names, as `ipc.ts` lists them.
pub mod events {
    /// The full list of waiting logins.
    pub const LOGINS: &str = "logins";
    /// The vault changed.
    pub const ACCOUNTS_CHANGED: &str = "accounts-changed";
    /// A site's state changed.
    pub const SITE_STATE: &str = "site-state";
    /// Enrollments settled at start.
    pub const RECOVERED: &str = "recovered";
    /// A link opened on the phone, previewed for the Add screen.
    pub const LINK: &str = "link";
}

/// How long a previewed payload is kept.
pub const PREVIEW_TTL: Duration = Duration::from_secs(5 * 60);
/// How many previews are kept at once (the oldest goes first).
const MAX_PREVIEWS: usize = 16;
/// How long a copied code stays on the clipboard.
pub const CLIPBOARD_TTL: Duration = Duration::from_secs(30);
/// How long one long poll waits for a login (s).
const POLL_WAIT: u64 = 25;
/// Back-off of a site that does not answer, or answers a long poll at
/// once with nothing: doubling from 1 s to this.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A long poll answered empty sooner than this did not wait: another poll
/// of the same device ended it (a second app on the vault, the CLI), or the
/// site does not hold polls. The next one waits on the back-off.
const EARLY_ANSWER: Duration = Duration::from_secs(2);
/// The least time between two polls of one account while logins wait (the
/// site answers each at once until they are answered or expire).
const LOGINS_WAIT_GAP: Duration = Duration::from_secs(1);
/// A site's clock offset is saved at most this often: a save is a sealed,
/// fsync'd vault write and a backup rotation, and a site whose
/// `server_time` jumps would otherwise cause one with every answer. The
/// offset in memory, which signed requests use, follows every answer.
const CLOCK_SAVE_EVERY: Duration = Duration::from_secs(60);
/// How often the vault is re-read for the CLI's changes while visible.
const RELOAD_EVERY: Duration = Duration::from_secs(2);
/// The longest site name, browser or IP shown (characters).
const MAX_SHOWN: usize = 100;
/// The logins kept per account, the newest: a site cannot queue more
/// prompts than the user can read.
pub const MAX_LOGINS_PER_ACCOUNT: usize = 3;
/// The longest a login may live (`expires - created`, ms); one that claims
/// longer is dropped. The protocol's logins live 60 s; twice that leaves a
/// slow site room.
pub const MAX_LOGIN_LIFE_MS: u64 = 2 * spse_protocol::CHALLENGE_TTL_MS;
/// How far in the future (the site's clock, ms) a login may say it
/// started; one further is dropped (it would stay on the sheet longer).
pub const MAX_LOGIN_FUTURE_MS: u64 = 5_000;
/// The window in which a site's prompts are counted for a flood.
pub const FLOOD_WINDOW: Duration = Duration::from_secs(60);
/// More new logins than this from one site within [`FLOOD_WINDOW`] is a
/// flood: its prompts are paused.
pub const FLOOD_LOGINS: usize = 10;
/// This many of a site's prompts refused or put aside by the user within
/// [`FLOOD_WINDOW`] pauses the site's prompts.
pub const FLOOD_DISMISSALS: usize = 3;
/// How long a site that floods has its prompts paused.
pub const FLOOD_PAUSE: Duration = Duration::from_secs(10 * 60);
/// The longest the user can put an account's prompts aside (minutes).
pub const MAX_SNOOZE_MINUTES: u32 = 24 * 60;
/// How long a login's id is remembered after the site last listed it, so
/// it is counted as new once.
const SEEN_FOR: Duration = Duration::from_secs(3 * 60);
/// The most login ids remembered per site.
const MAX_SEEN: usize = 4096;

/// What the app shows and touches outside itself: events to the window
/// and the clipboard.
pub trait Host: Send + Sync + 'static {
    /// Emits an event to the window.
    fn emit(&self, event: &str, payload: serde_json::Value);
    /// Puts text on the clipboard (a copied code: on Android marked
    /// sensitive, so no preview shows it).
    fn write_clipboard(&self, text: &str) -> Result<(), AppError>;
    /// Clears the code [`Host::write_clipboard`] put there `copied` ago,
    /// if it is still there. By default the clipboard is read and only the
    /// same text cleared; Android, which refuses a read in the background,
    /// clears without reading.
    fn clear_copied(&self, copied: &str) {
        if self
            .read_clipboard_text()
            .is_some_and(|text| text.as_str() == copied)
        {
            let _ = self.write_clipboard("");
        }
    }
    /// The clipboard's text, if it holds text.
    fn read_clipboard_text(&self) -> Option<Zeroizing<String>>;
    /// The clipboard's picture as RGBA pixels (width, height, bytes), if it
    /// holds one.
    fn read_clipboard_image(&self) -> Option<(u32, u32, Zeroizing<Vec<u8>>)>;
    /// Turns screenshot protection (Android's FLAG_SECURE) on or off;
    /// nothing where there is none.
    fn protect_screen(&self, on: bool);
    /// Whether a camera can scan a QR code: on phones, whether it has one
    /// (the scanner never answers on a phone without); never on desktop,
    /// which reads pictures instead.
    fn has_camera(&self) -> bool {
        false
    }
}

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder holding the vault and `settings.json`.
    pub data_dir: PathBuf,
    /// How sites list this device.
    pub device_name: String,
    /// A root certificate file (PEM or DER) to trust for enrollments
    /// (`SPSE_AUTH_TRUST_ROOT`, for training servers).
    pub trust_root: Option<PathBuf>,
    /// Whether the window starts visible (polling runs).
    pub visible: bool,
    /// Whether a training server may be reached over plain `http://`
    /// (after the user confirms it): false in an Android release build
    /// whose network security policy forbids cleartext.
    pub cleartext: bool,
}

impl Options {
    /// The defaults the CLI has too: `SPSE_AUTH_DATA_DIR` or the platform
    /// data folder's `spse-auth`, `SPSE_AUTH_TRUST_ROOT`.
    pub fn from_env() -> Options {
        let data_dir = std::env::var_os("SPSE_AUTH_DATA_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::data_dir().map(|d| d.join("spse-auth")))
            .unwrap_or_else(|| PathBuf::from("spse-auth"));
        let device_name = if cfg!(any(target_os = "android", target_os = "ios")) {
            "SPSE Auth (phone)"
        } else {
            "SPSE Auth (desktop)"
        };
        Options {
            data_dir,
            device_name: device_name.to_owned(),
            trust_root: std::env::var_os("SPSE_AUTH_TRUST_ROOT")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
            visible: true,
            cleartext: true,
        }
    }
}

/// A payload previewed, kept until added, cancelled or 5 minutes old. Its
/// secrets and token are wiped on drop (`spse-otp` keeps them zeroizing);
/// its Debug says only what kind it is.
pub struct PreviewEntry {
    payload: Payload,
    made: Instant,
}

impl std::fmt::Debug for PreviewEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewEntry")
            .field("kind", &kind_of(&self.payload))
            .field("accounts", &self.payload.accounts().len())
            .field("payload", &"<redacted>")
            .finish()
    }
}

fn kind_of(payload: &Payload) -> &'static str {
    match payload {
        Payload::Spse(_) => "spse",
        Payload::Otpauth(_) => "otpauth",
        Payload::Migration(_) => "migration",
    }
}

/// The logins known per account, and the list last sent to the window;
/// what holds prompts back: accounts the user put aside, sites paused for
/// flooding.
#[derive(Debug, Default)]
struct Logins {
    per_account: HashMap<String, Vec<(LoginView, Challenge)>>,
    sent: Vec<LoginView>,
    /// Per account id, its prompts put aside by the user ("Nanti").
    snoozed: HashMap<String, Hold>,
    /// Per site, what tells a flood.
    guards: HashMap<String, Guard>,
}

impl Logins {
    /// Whether a login of `account_id` on `server` is held back now.
    fn held(&self, account_id: &str, server: &str) -> bool {
        self.snoozed.get(account_id).is_some_and(Hold::active) || self.paused(server).is_some()
    }

    /// Until when `server`'s prompts are paused, if they are.
    fn paused(&self, server: &str) -> Option<Hold> {
        self.guards
            .get(server)
            .and_then(|guard| guard.paused)
            .filter(Hold::active)
    }

    /// How long until `account_id`'s prompts are shown again, if held.
    fn held_for(&self, account_id: &str, server: &str) -> Option<Duration> {
        let left = |hold: &Hold| hold.until.saturating_duration_since(Instant::now());
        let snoozed = self
            .snoozed
            .get(account_id)
            .filter(|h| h.active())
            .map(left);
        let paused = self.paused(server).as_ref().map(left);
        snoozed.into_iter().chain(paused).max()
    }
}

/// Prompts held back until a time: an [`Instant`] to act on, and the same
/// as local Unix ms to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hold {
    until: Instant,
    until_ms: u64,
}

impl Hold {
    /// A hold for `length` from now.
    fn starting_now(length: Duration) -> Hold {
        Hold {
            until: Instant::now() + length,
            until_ms: now_ms().saturating_add(u64::try_from(length.as_millis()).unwrap_or(0)),
        }
    }

    /// Whether it still holds.
    fn active(&self) -> bool {
        Instant::now() < self.until
    }
}

/// One site's prompts, counted to tell a flood: a site that sends more
/// logins than a person makes, or whose prompts the user keeps refusing,
/// has them paused for [`FLOOD_PAUSE`] (the modal sheet would otherwise
/// stay up, and the site's Delete stay out of reach).
#[derive(Debug, Default)]
struct Guard {
    /// The login ids the site listed, with when it last did.
    seen: HashMap<String, Instant>,
    /// When each new login arrived, within [`FLOOD_WINDOW`].
    fresh: VecDeque<Instant>,
    /// When the user refused or put aside a prompt, within [`FLOOD_WINDOW`].
    dismissed: VecDeque<Instant>,
    /// The pause, once flooded.
    paused: Option<Hold>,
}

impl Guard {
    /// Counts the logins of one answer; true when that starts a pause.
    fn listed<'a>(&mut self, tx_ids: impl Iterator<Item = &'a str>) -> bool {
        let now = Instant::now();
        for tx in tx_ids {
            if self.seen.insert(tx.to_owned(), now).is_none() {
                self.fresh.push_back(now);
            }
        }
        self.seen
            .retain(|_, last| now.duration_since(*last) < SEEN_FOR);
        if self.seen.len() > MAX_SEEN {
            self.seen.retain(|_, last| *last == now);
        }
        self.check()
    }

    /// Counts a prompt the user refused or put aside; true when that
    /// starts a pause.
    fn dismissed(&mut self) -> bool {
        self.dismissed.push_back(Instant::now());
        self.check()
    }

    /// Pauses the site when it floods; true when a pause starts.
    fn check(&mut self) -> bool {
        let now = Instant::now();
        for times in [&mut self.fresh, &mut self.dismissed] {
            while times
                .front()
                .is_some_and(|at| now.duration_since(*at) >= FLOOD_WINDOW)
            {
                times.pop_front();
            }
        }
        let flooding = self.fresh.len() > FLOOD_LOGINS || self.dismissed.len() >= FLOOD_DISMISSALS;
        if !flooding || self.paused.is_some_and(|hold| hold.active()) {
            return false;
        }
        self.paused = Some(Hold::starting_now(FLOOD_PAUSE));
        self.fresh.clear();
        self.dismissed.clear();
        true
    }

    /// Ends the pause (the user asked, or it is over); true when there was one.
    fn resume(&mut self) -> bool {
        self.fresh.clear();
        self.dismissed.clear();
        self.paused.take().is_some()
    }
}

/// The poller's tasks.
#[derive(Debug, Default)]
struct Poller {
    visible: bool,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Poller {
    fn stop(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }
}

/// The vault's restores from its backup this run (F-20): the latest one's
/// reason, and how many there were, so that a second restore (the vault
/// damaged again after a save) is told again even after the user closed
/// the warning about the first.
#[derive(Debug, Default)]
struct Restores {
    /// The vault's record as last seen: a new one (after none) is a restore.
    seen: Option<spse_vault::Recovery>,
    /// The latest restore's reason.
    latest: Option<RestoredFrom>,
    /// How many restores this run.
    count: u32,
}

impl Restores {
    /// The vault reports `recovery` now.
    fn note(&mut self, recovery: Option<&spse_vault::Recovery>) {
        if recovery != self.seen.as_ref() {
            if let Some(recovery) = recovery {
                self.latest = Some(recovery.reason.into());
                self.count += 1;
            }
            self.seen = recovery.cloned();
        }
    }
}

/// The recovery result until the window is ready to hear it.
#[derive(Debug, Default)]
struct Recovery {
    ui_ready: bool,
    waiting: Option<Vec<RecoveredView>>,
    /// The last link opened before the window listened.
    link: Option<LinkView>,
}

/// The app's state.
pub struct App {
    options: Options,
    vault: Result<Mutex<Vault>, AppError>,
    client: Client,
    host: Arc<dyn Host>,
    previews: Mutex<HashMap<String, PreviewEntry>>,
    sites: Mutex<BTreeMap<String, SiteState>>,
    logins: Mutex<Logins>,
    settings: Mutex<Settings>,
    poller: Mutex<Poller>,
    recovery: Mutex<Recovery>,
    /// The restores from the backup seen this run: kept for the whole run
    /// (the next save clears the vault's own record, and the user must
    /// still be told).
    restores: Mutex<Restores>,
    /// When each site's clock offset was last saved ([`CLOCK_SAVE_EVERY`]).
    clocks_saved: Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("data_dir", &self.options.data_dir)
            .field("vault_open", &self.vault.is_ok())
            .field("previews", &lock(&self.previews).len())
            .finish_non_exhaustive()
    }
}

/// Locks a mutex; a panic elsewhere while it was held leaves plain data,
/// taken over rather than refused.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl App {
    /// Opens the vault in `options.data_dir` with `keystore`. A vault that
    /// cannot be opened is kept as its error (the `accounts` command
    /// rejects with it); only a client that cannot be made fails here.
    pub fn open(
        options: Options,
        keystore: Result<Keystore, spse_vault::Error>,
        host: Arc<dyn Host>,
    ) -> Result<Arc<App>, AppError> {
        let vault = keystore
            .and_then(|keystore| Vault::open(&options.data_dir, keystore))
            .map_err(AppError::from);
        let client = match &vault {
            Ok(vault) => sites::client_for(vault).or_else(|_| Client::new().map_err(Into::into)),
            Err(_) => Client::new().map_err(spse_accounts::Error::from),
        }?
        // No plain http in a build that forbids it, for stored accounts too (F-11).
        .with_cleartext(options.cleartext);
        let settings = read_settings(&options.data_dir);
        let mut restores = Restores::default();
        restores.note(vault.as_ref().ok().and_then(|vault| vault.recovery()));
        host.protect_screen(settings.screenshot_protection);
        let visible = options.visible;
        Ok(Arc::new(App {
            options,
            vault: vault.map(Mutex::new),
            client,
            host,
            previews: Mutex::new(HashMap::new()),
            sites: Mutex::new(BTreeMap::new()),
            logins: Mutex::new(Logins::default()),
            settings: Mutex::new(settings),
            poller: Mutex::new(Poller {
                visible,
                tasks: Vec::new(),
            }),
            recovery: Mutex::new(Recovery::default()),
            restores: Mutex::new(restores),
            clocks_saved: Mutex::new(HashMap::new()),
        }))
    }

    /// What runs once at start: settles enrollments a crash left pending
    /// (told to the window by `recovered`), then starts polling.
    pub async fn start(self: &Arc<Self>) {
        let mut settled = Vec::new();
        if let Ok(vault) = &self.vault {
            let _ = lock(vault).reload();
            let pending: Vec<StoredAccount> = lock(vault)
                .accounts()
                .iter()
                .filter(|a| a.is_pending())
                .cloned()
                .collect();
            if !pending.is_empty()
                && let Ok(recovered) = spse_accounts::recover(vault, &self.client).await
            {
                for recovered in recovered {
                    let Some(stored) = pending.iter().find(|a| a.describe() == recovered.account)
                    else {
                        continue;
                    };
                    settled.push(RecoveredView {
                        account_id: stored.id.clone(),
                        user_id: stored.account.name().to_owned(),
                        server: stored
                            .site
                            .as_ref()
                            .map(|s| s.server.clone())
                            .unwrap_or_default(),
                        outcome: match recovered.outcome {
                            Settled::Finished => "finished",
                            Settled::RolledBack => "rolledBack",
                            Settled::Unresolved(_) => "unresolved",
                        },
                    });
                }
                self.save_clocks();
            }
        }
        if !settled.is_empty() {
            let mut recovery = lock(&self.recovery);
            if recovery.ui_ready {
                self.emit(events::RECOVERED, &settled);
            } else {
                recovery.waiting = Some(settled);
            }
        }
        self.respawn();
    }

    // ---- helpers ----

    fn vault_mutex(&self) -> Result<&Mutex<Vault>, AppError> {
        self.vault.as_ref().map_err(Clone::clone)
    }

    fn vault(&self) -> Result<MutexGuard<'_, Vault>, AppError> {
        Ok(lock(self.vault_mutex()?))
    }

    fn emit<T: Serialize + ?Sized>(&self, event: &str, payload: &T) {
        let value = serde_json::to_value(payload).unwrap_or(serde_json::Value::Null);
        self.host.emit(event, value);
    }

    /// Re-reads the vault for changes another process (the CLI) made;
    /// tells the window and re-plans polling when something changed.
    pub fn refresh(self: &Arc<Self>) -> Result<(), AppError> {
        let changed = {
            let mut vault = self.vault()?;
            let changed = vault.reload()?;
            lock(&self.restores).note(vault.recovery());
            changed
        };
        if changed {
            self.changed();
        }
        Ok(())
    }

    /// The vault changed: the window refetches, the poller follows.
    fn changed(self: &Arc<Self>) {
        self.emit(events::ACCOUNTS_CHANGED, &());
        self.respawn();
    }

    fn stored(&self, id: &str) -> Result<StoredAccount, AppError> {
        self.vault()?
            .get(id)
            .cloned()
            .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() }.into())
    }

    /// Keeps the clock offsets learned that matter (new, or moved by more
    /// than a second), each site's at most once a [`CLOCK_SAVE_EVERY`];
    /// best effort. A site's first offset is saved at once.
    fn save_clocks(&self) {
        let Ok(mut vault) = self.vault() else { return };
        let mut saved = lock(&self.clocks_saved);
        let due: BTreeMap<String, spse_vault::ClockOffset> =
            sites::changed_clocks(&vault, &self.client, now_ms())
                .into_iter()
                .filter(|(server, _)| {
                    saved
                        .get(server)
                        .is_none_or(|at| at.elapsed() >= CLOCK_SAVE_EVERY)
                })
                .collect();
        if !due.is_empty() && vault.set_clocks(&due).is_ok() {
            let now = Instant::now();
            for server in due.into_keys() {
                saved.insert(server, now);
            }
        }
    }

    /// This device's time (ms) as a site's.
    fn site_ms(&self, server: &str, local_ms: u64) -> u64 {
        match self.client.clock_offset(server) {
            Some(offset) => local_ms.saturating_add_signed(offset),
            None => local_ms,
        }
    }

    /// A site's time (ms) as this device's.
    fn local_ms(&self, server: &str, site_ms: u64) -> u64 {
        match self.client.clock_offset(server) {
            Some(offset) => site_ms.saturating_add_signed(offset.saturating_neg()),
            None => site_ms,
        }
    }

    // ---- accounts and codes ----

    /// The `accounts` command.
    pub fn accounts(self: &Arc<Self>) -> Result<AccountsView, AppError> {
        self.refresh()?;
        let first = {
            let mut recovery = lock(&self.recovery);
            let first = !recovery.ui_ready;
            recovery.ui_ready = true;
            first.then(|| (recovery.waiting.take(), recovery.link.take()))
        };
        if let Some((settled, link)) = first {
            // The window listens now: what it may have missed.
            if let Some(settled) = settled {
                self.emit(events::RECOVERED, &settled);
            }
            if let Some(link) = link {
                self.emit(events::LINK, &link);
            }
            self.send_logins_if(true);
        }
        let vault = self.vault()?;
        let states = lock(&self.sites);
        let logins = lock(&self.logins);
        let sites = vault
            .groups()
            .into_iter()
            .filter_map(|group| group.site)
            .map(|site| SiteView {
                paused_until: logins.paused(&site.server).map(|hold| hold.until_ms),
                server: site.server.clone(),
                name: site.name.as_deref().map(shown),
                training: site.training,
                state: states.get(&site.server).copied().unwrap_or_default(),
            })
            .collect();
        let accounts = vault
            .accounts()
            .iter()
            .map(|stored| AccountView {
                snoozed_until: logins
                    .snoozed
                    .get(&stored.id)
                    .filter(|hold| hold.active())
                    .map(|hold| hold.until_ms),
                ..AccountView::from(stored)
            })
            .collect();
        let restores = lock(&self.restores);
        Ok(AccountsView {
            sites,
            accounts,
            restored_from_backup: restores.latest,
            restores: restores.count,
        })
    }

    /// The `codes` command: enrolled accounts follow their site's clock.
    pub fn codes(self: &Arc<Self>) -> Result<CodesView, AppError> {
        self.refresh()?;
        let vault = self.vault()?;
        let now = now_ms();
        let codes = vault
            .accounts()
            .iter()
            .map(|stored| {
                let at_ms = code_time(&vault, stored, now);
                let at = at_ms / 1000;
                let account = &stored.account;
                match account.kind() {
                    Kind::Totp { period } => {
                        let period_ms = u64::from(period) * 1000;
                        let end = (at_ms / period_ms + 1) * period_ms;
                        CodeView {
                            id: stored.id.clone(),
                            code: account.code_at(at).as_str().to_owned(),
                            next: Some(account.code_at(at + u64::from(period)).as_str().to_owned()),
                            valid_until: Some(now + (end - at_ms)),
                            period: Some(period),
                        }
                    }
                    Kind::Hotp { .. } => CodeView {
                        id: stored.id.clone(),
                        code: account.code_at(at).as_str().to_owned(),
                        next: None,
                        valid_until: None,
                        period: None,
                    },
                }
            })
            .collect();
        Ok(CodesView { now, codes })
    }

    /// The account's current code.
    fn code_of(&self, id: &str) -> Result<String, AppError> {
        let vault = self.vault()?;
        let stored = vault
            .get(id)
            .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?;
        let at = code_time(&vault, stored, now_ms()) / 1000;
        Ok(stored.account.code_at(at).as_str().to_owned())
    }

    /// The `copy_code` command: the code on the clipboard, cleared after
    /// 30 s if it is still there.
    pub fn copy_code(self: &Arc<Self>, id: &str) -> Result<(), AppError> {
        let code = self.code_of(id)?;
        self.host.write_clipboard(&code)?;
        let host = Arc::clone(&self.host);
        tokio::spawn(async move {
            tokio::time::sleep(CLIPBOARD_TTL).await;
            host.clear_copied(&code);
        });
        Ok(())
    }

    /// The `next_hotp` command: the HOTP counter moves on and is saved, the
    /// account keeping its id, label and place.
    pub fn next_hotp(self: &Arc<Self>, id: &str) -> Result<(), AppError> {
        {
            if self.vault()?.advance_hotp(id)?.is_none() {
                return Err(AppError::new(
                    ErrorCode::PayloadInvalid,
                    "type: only an HOTP account has a counter to move on",
                ));
            }
        }
        self.changed();
        Ok(())
    }

    // ---- adding ----

    /// Keeps a parsed payload and tells what it holds.
    fn preview(self: &Arc<Self>, payload: Payload) -> Result<Preview, AppError> {
        // No name that reads as another one (F-14).
        for account in payload.accounts() {
            account.check_visible()?;
        }
        self.refresh()?;
        let vault = self.vault()?;
        let (server, training, replaces) = match &payload {
            Payload::Spse(enrollment) => {
                if !self.options.cleartext && enrollment.server.as_str().starts_with("http://") {
                    return Err(AppError::new(
                        ErrorCode::CleartextBlocked,
                        "server: this build does not connect over plain http; \
                         use the site's https address or a training build",
                    ));
                }
                let probe = spse_vault::Site::new(
                    enrollment.server.as_str(),
                    enrollment.server.is_training(),
                );
                let replaces = vault
                    .accounts()
                    .iter()
                    .filter(|a| !a.is_pending() && a.same_as(&enrollment.account, Some(&probe)))
                    .map(AccountView::from)
                    .collect();
                (
                    Some(enrollment.server.as_str().to_owned()),
                    enrollment.server.is_training(),
                    replaces,
                )
            }
            other => {
                // Every account the payload would replace (an export may hold several).
                let replaces = vault
                    .accounts()
                    .iter()
                    .filter(|a| {
                        other
                            .accounts()
                            .iter()
                            .any(|account| a.same_as(account, None))
                    })
                    .map(AccountView::from)
                    .collect();
                (None, false, replaces)
            }
        };
        drop(vault);
        let handle = spse_client::random_device_id()?;
        let preview = Preview {
            handle: handle.clone(),
            kind: kind_of(&payload),
            server,
            training,
            replaces,
            accounts: payload
                .accounts()
                .iter()
                .map(PreviewAccount::from)
                .collect(),
        };
        let mut previews = lock(&self.previews);
        sweep(&mut previews);
        while previews.len() >= MAX_PREVIEWS {
            let oldest = previews
                .iter()
                .min_by_key(|(_, entry)| entry.made)
                .map(|(handle, _)| handle.clone());
            match oldest {
                Some(oldest) => previews.remove(&oldest),
                None => break,
            };
        }
        previews.insert(
            handle,
            PreviewEntry {
                payload,
                made: Instant::now(),
            },
        );
        Ok(preview)
    }

    /// The `preview_text` command.
    pub fn preview_text(self: &Arc<Self>, text: &str) -> Result<Preview, AppError> {
        self.preview(Payload::parse(text)?)
    }

    /// The `preview_image` command: a picture's bytes.
    pub async fn preview_image(self: &Arc<Self>, bytes: Vec<u8>) -> Result<Preview, AppError> {
        let bytes = Zeroizing::new(bytes);
        let payload = tokio::task::spawn_blocking(move || spse_qr::find_payload(&bytes))
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("image: {e}")))??;
        self.preview(payload)
    }

    /// The `preview_clipboard` command: the clipboard's picture, else its
    /// text.
    pub async fn preview_clipboard(self: &Arc<Self>) -> Result<Preview, AppError> {
        if let Some((width, height, rgba)) = self.host.read_clipboard_image() {
            let payload = tokio::task::spawn_blocking(move || {
                spse_qr::find_payload_in_pixels(width, height, &rgba)
            })
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("image: {e}")))??;
            return self.preview(payload);
        }
        match self.host.read_clipboard_text() {
            Some(text) if !text.trim().is_empty() => self.preview_text(text.trim()),
            _ => Err(AppError::new(
                ErrorCode::ClipboardEmpty,
                "clipboard: no picture or text to read",
            )),
        }
    }

    /// A link opened on the phone (`otpauth://`, `otpauth-migration://`):
    /// previewed, never added; the window shows the preview (or why it
    /// cannot be read) on the Add screen by the `link` event, at once or,
    /// before it listens, after its first `accounts` call.
    pub fn open_link(self: &Arc<Self>, url: &str) {
        let lower = url.get(..20).unwrap_or(url).to_ascii_lowercase();
        let read = if lower.starts_with("otpauth://") || lower.starts_with("otpauth-migration://") {
            self.preview_text(url)
        } else {
            Err(AppError::new(
                ErrorCode::PayloadInvalid,
                "link: only otpauth:// and otpauth-migration:// links are read",
            ))
        };
        let link = match read {
            Ok(preview) => LinkView {
                preview: Some(preview),
                error: None,
            },
            Err(error) => LinkView {
                preview: None,
                error: Some(error),
            },
        };
        let mut recovery = lock(&self.recovery);
        if recovery.ui_ready {
            drop(recovery);
            self.emit(events::LINK, &link);
        } else {
            recovery.link = Some(link);
        }
    }

    /// The `cancel_add` command.
    pub fn cancel_add(&self, handle: &str) {
        lock(&self.previews).remove(handle);
    }

    /// The `confirm_add` command: an SPSE payload enrolls with its site,
    /// others are stored as codes-only accounts.
    pub async fn confirm_add(
        self: &Arc<Self>,
        handle: &str,
        training: bool,
        replace: bool,
    ) -> Result<Added, AppError> {
        let entry = {
            let mut previews = lock(&self.previews);
            sweep(&mut previews);
            let entry = previews.get(handle).ok_or_else(|| {
                AppError::new(
                    ErrorCode::PreviewGone,
                    "preview: it was added, cancelled or is over 5 minutes old; scan again",
                )
            })?;
            let preview_replaces =
                match &entry.payload {
                    Payload::Spse(enrollment) => {
                        if enrollment.server.is_training() && !training {
                            return Err(AppError::new(
                                ErrorCode::NeedsConfirmation,
                                "server: a training server over plain http or a private network; \
                             confirm to add",
                            ));
                        }
                        let probe = spse_vault::Site::new(
                            enrollment.server.as_str(),
                            enrollment.server.is_training(),
                        );
                        self.vault()?.accounts().iter().any(|a| {
                            !a.is_pending() && a.same_as(&enrollment.account, Some(&probe))
                        })
                    }
                    other => {
                        let vault = self.vault()?;
                        other.accounts().iter().any(|account| {
                            vault.accounts().iter().any(|a| a.same_as(account, None))
                        })
                    }
                };
            if preview_replaces && !replace {
                return Err(AppError::new(
                    ErrorCode::NeedsConfirmation,
                    "account: it is already in the vault; confirm to replace it",
                ));
            }
            previews.remove(handle).ok_or_else(|| {
                AppError::new(ErrorCode::PreviewGone, "preview: it is gone; scan again")
            })?
        };
        let added = match &entry.payload {
            Payload::Spse(enrollment) => {
                // A root for training servers, never pinned to a public LPSE (F-12).
                let trust_root = if enrollment.server.on_private_network() {
                    self.trust_root()?
                } else {
                    None
                };
                let options = EnrollOptions {
                    device_name: self.options.device_name.clone(),
                    replace,
                    trust_root,
                };
                let result =
                    spse_accounts::enroll(self.vault_mutex()?, &self.client, enrollment, options)
                        .await;
                self.save_clocks();
                let added = result?;
                Added {
                    ids: vec![added.id],
                    server: Some(added.server),
                    site_name: added.site_name.as_deref().map(shown),
                    user: Some(enrollment.account.name().to_owned()),
                }
            }
            other => {
                let ids = self.vault()?.add_all(other.accounts().to_vec(), replace)?;
                Added {
                    ids,
                    server: None,
                    site_name: None,
                    user: None,
                }
            }
        };
        self.changed();
        Ok(added)
    }

    /// The root certificate `SPSE_AUTH_TRUST_ROOT` names, if any.
    fn trust_root(&self) -> Result<Option<Vec<u8>>, AppError> {
        let Some(path) = &self.options.trust_root else {
            return Ok(None);
        };
        let bytes = std::fs::read(path).map_err(|e| {
            AppError::new(
                ErrorCode::SiteBadRoot,
                format!("trust-root: cannot read {}: {e}", path.display()),
            )
        })?;
        let roots = spse_client::read_roots(&bytes)?;
        match <[Vec<u8>; 1]>::try_from(roots) {
            Ok([root]) => Ok(Some(root)),
            Err(_) => Err(AppError::new(
                ErrorCode::SiteBadRoot,
                format!(
                    "trust-root: {} must hold exactly one certificate",
                    path.display()
                ),
            )),
        }
    }

    /// The `add_manual` command.
    pub fn add_manual(self: &Arc<Self>, manual: &ManualAccount) -> Result<Added, AppError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            manual
                .secret
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        if cleaned.is_empty() {
            return Err(AppError::new(
                ErrorCode::PayloadInvalid,
                "secret: empty; type the key the site showed",
            ));
        }
        let secret = Secret::from_base32(&cleaned)?;
        let algorithm = Algorithm::parse(&manual.algorithm)?;
        let kind = match manual.kind {
            ManualKind::Totp => Kind::Totp {
                period: manual.period,
            },
            ManualKind::Hotp => Kind::Hotp {
                counter: manual.counter,
            },
        };
        let issuer = Some(manual.issuer.trim().to_owned()).filter(|i| !i.is_empty());
        let account = Account::new(
            issuer,
            manual.name.trim().to_owned(),
            algorithm,
            manual.digits,
            kind,
            secret,
        )?;
        account.check_visible()?;
        let id = self.vault()?.add(account, None, false)?;
        self.changed();
        Ok(Added {
            ids: vec![id],
            server: None,
            site_name: None,
            user: None,
        })
    }

    // ---- logins ----

    /// The enrolled accounts with their device, `only` one of them.
    fn enrolled(&self, only: Option<&str>) -> Result<Vec<StoredAccount>, AppError> {
        let vault = self.vault()?;
        if let Some(id) = only {
            let stored = vault
                .get(id)
                .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?;
            if stored.is_pending() || device_of(stored).ok().flatten().is_none() {
                return Err(AppError::new(
                    ErrorCode::NotEnrolled,
                    format!(
                        "account: {} is not enrolled with its site",
                        stored.describe()
                    ),
                ));
            }
            return Ok(vec![stored.clone()]);
        }
        Ok(vault
            .accounts()
            .iter()
            .filter(|a| !a.is_pending() && a.site.as_ref().is_some_and(|s| s.device.is_some()))
            .cloned()
            .collect())
    }

    /// The `check_logins` command: asks the sites now (no waiting); the
    /// logins of the accounts asked. Rejects only when every site failed.
    pub async fn check_logins(
        self: &Arc<Self>,
        account_id: Option<&str>,
    ) -> Result<Vec<LoginView>, AppError> {
        self.refresh()?;
        let accounts = self.enrolled(account_id)?;
        if let Some(id) = account_id {
            // The user asks about this account: its prompts show again.
            lock(&self.logins).snoozed.remove(id);
        }
        let asked = spse_accounts::logins::waiting(&self.client, &accounts, 0).await;
        self.save_clocks();
        let mut per_account: HashMap<String, Vec<Challenge>> = accounts
            .iter()
            .map(|a| (a.id.clone(), Vec::new()))
            .collect();
        for waiting in asked.waiting {
            per_account
                .entry(waiting.account_id)
                .or_default()
                .push(waiting.challenge);
        }
        let mut first_error = None;
        for (id, error) in asked.failed {
            per_account.remove(&id);
            if let Some(stored) = accounts.iter().find(|a| a.id == id)
                && let Some(site) = &stored.site
            {
                self.set_site_state(&site.server, state_of_error(&error));
            }
            first_error.get_or_insert(error);
        }
        if asked.asked > 0
            && per_account.is_empty()
            && let Some(error) = first_error
        {
            return Err(error.into());
        }
        let mut views = Vec::new();
        for (id, challenges) in per_account {
            if let Some(stored) = accounts.iter().find(|a| a.id == id)
                && let Some(site) = &stored.site
            {
                self.set_site_state(&site.server, SiteState::Reachable);
                views.extend(self.set_waiting(stored, challenges));
            }
        }
        self.send_logins();
        let order: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        views.sort_by_key(|v: &LoginView| {
            (
                order.iter().position(|id| *id == v.account_id),
                v.created_at,
            )
        });
        Ok(views)
    }

    /// Keeps an account's waiting logins, made safe to show: only those
    /// whose lifetime the protocol allows ([`MAX_LOGIN_LIFE_MS`]) and that
    /// do not start in the future ([`MAX_LOGIN_FUTURE_MS`], by the site's
    /// clock), the newest [`MAX_LOGINS_PER_ACCOUNT`]. Every login listed
    /// counts towards its site's flood. The views of those not held back.
    fn set_waiting(&self, stored: &StoredAccount, challenges: Vec<Challenge>) -> Vec<LoginView> {
        let Some(site) = &stored.site else {
            return Vec::new();
        };
        let site_now = self.site_ms(&site.server, now_ms());
        let mut kept: Vec<Challenge> = Vec::new();
        let mut listed = Vec::with_capacity(challenges.len());
        for challenge in challenges {
            listed.push(challenge.tx_id.clone());
            let life = challenge.expires.checked_sub(challenge.created);
            if life.is_some_and(|life| life > 0 && life <= MAX_LOGIN_LIFE_MS)
                && challenge.created <= site_now.saturating_add(MAX_LOGIN_FUTURE_MS)
            {
                kept.push(challenge);
            }
        }
        kept.sort_by_key(|c| std::cmp::Reverse(c.created));
        kept.truncate(MAX_LOGINS_PER_ACCOUNT);
        let entries: Vec<(LoginView, Challenge)> = kept
            .into_iter()
            .rev()
            .map(|challenge| {
                let view = LoginView {
                    tx: challenge.tx_id.clone(),
                    account_id: stored.id.clone(),
                    user_id: shown(&challenge.user_id),
                    server: site.server.clone(),
                    training: site.training,
                    site_name: site.name.as_deref().map(shown),
                    browser: spse_protocol::text::browser(&challenge.user_agent),
                    ip: spse_protocol::text::ip_address(&challenge.ip),
                    created_at: self.local_ms(&site.server, challenge.created),
                    expires_at: self.local_ms(&site.server, challenge.expires),
                    number_match: challenge.number_match,
                };
                (view, challenge)
            })
            .collect();
        let (views, paused) = {
            let mut logins = lock(&self.logins);
            let paused = logins
                .guards
                .entry(site.server.clone())
                .or_default()
                .listed(listed.iter().map(String::as_str));
            let views = if logins.held(&stored.id, &site.server) {
                Vec::new()
            } else {
                entries.iter().map(|(v, _)| v.clone()).collect()
            };
            logins.per_account.insert(stored.id.clone(), entries);
            (views, paused)
        };
        if paused {
            self.tell_site(&site.server);
        }
        views
    }

    /// Sends the full list of waiting logins when it changed.
    fn send_logins(&self) {
        self.send_logins_if(false);
    }

    /// Sends the full list of waiting logins when it changed, or always
    /// (`force`: a window that may have missed the last one).
    fn send_logins_if(&self, force: bool) {
        let order: Vec<String> = match self.vault() {
            Ok(vault) => vault.accounts().iter().map(|a| a.id.clone()).collect(),
            Err(_) => return,
        };
        let now = now_ms();
        let mut logins = lock(&self.logins);
        logins.per_account.retain(|id, _| order.contains(id));
        logins
            .snoozed
            .retain(|id, hold| order.contains(id) && hold.active());
        let mut merged: Vec<LoginView> = Vec::new();
        for id in &order {
            if let Some(entries) = logins.per_account.get(id) {
                let mut views: Vec<LoginView> = entries
                    .iter()
                    .filter(|(v, _)| v.expires_at > now && !logins.held(&v.account_id, &v.server))
                    .map(|(v, _)| v.clone())
                    .collect();
                views.sort_by_key(|v| v.created_at);
                merged.extend(views);
            }
        }
        if force || merged != logins.sent {
            logins.sent = merged.clone();
            drop(logins);
            self.emit(events::LOGINS, &merged);
        }
    }

    /// Records a site's state; tells the window when it changed.
    fn set_site_state(&self, server: &str, state: SiteState) {
        let old = lock(&self.sites).insert(server.to_owned(), state);
        if old != Some(state) {
            self.tell_site(server);
        }
    }

    /// Tells the window what the app knows of a site now: its state and
    /// whether its prompts are paused.
    fn tell_site(&self, server: &str) {
        let paused_until = lock(&self.logins).paused(server).map(|hold| hold.until_ms);
        let state = lock(&self.sites).get(server).copied().unwrap_or_default();
        self.emit(
            events::SITE_STATE,
            &SiteStateEvent {
                server: server.to_owned(),
                state,
                paused_until,
            },
        );
    }

    /// Ends the pauses that are over, telling the window.
    fn end_pauses(&self) {
        let ended: Vec<String> = lock(&self.logins)
            .guards
            .iter_mut()
            .filter(|(_, guard)| guard.paused.is_some_and(|hold| !hold.active()))
            .filter_map(|(server, guard)| guard.resume().then(|| server.clone()))
            .collect();
        for server in ended {
            self.tell_site(&server);
        }
    }

    /// The `snooze_logins` command ("Nanti"): `account_id`'s prompts put
    /// aside for `minutes` (at most [`MAX_SNOOZE_MINUTES`]), so the sheet
    /// closes and the rest of the app (Delete among it) can be reached; it
    /// counts as a prompt dismissed towards its site's flood. `minutes` 0
    /// shows them again at once, and ends the pause of the account's site
    /// too (the user asked for its prompts). Until when they are aside
    /// (local Unix ms), none when shown.
    pub fn snooze_logins(
        self: &Arc<Self>,
        account_id: &str,
        minutes: u32,
    ) -> Result<Option<u64>, AppError> {
        let stored = self.stored(account_id)?;
        let server = stored.site.as_ref().map(|site| site.server.clone());
        let minutes = minutes.min(MAX_SNOOZE_MINUTES);
        let (until, told) = {
            let mut logins = lock(&self.logins);
            let guard = server
                .as_ref()
                .map(|server| logins.guards.entry(server.clone()).or_default());
            if minutes == 0 {
                let told = guard.is_some_and(Guard::resume);
                logins.snoozed.remove(account_id);
                (None, told)
            } else {
                let told = guard.is_some_and(Guard::dismissed);
                let hold = Hold::starting_now(Duration::from_secs(u64::from(minutes) * 60));
                logins.snoozed.insert(account_id.to_owned(), hold);
                (Some(hold.until_ms), told)
            }
        };
        if told && let Some(server) = &server {
            self.tell_site(server);
        }
        self.send_logins();
        Ok(until)
    }

    /// The `decide` command. A login is named by its account and its `tx`
    /// together: two sites may hand out the same `tx` (the protocol asks
    /// for neither unique nor unpredictable ids), and an answer must reach
    /// the site whose login the user saw (F-13).
    pub async fn decide(
        self: &Arc<Self>,
        account_id: &str,
        tx: &str,
        decision: DecisionView,
        number: Option<&str>,
    ) -> Result<Decided, AppError> {
        let found = lock(&self.logins)
            .per_account
            .get(account_id)
            .and_then(|entries| {
                entries
                    .iter()
                    .find(|(view, _)| view.tx == tx)
                    .map(|(_, challenge)| challenge.clone())
            });
        let account_id = account_id.to_owned();
        let Some(challenge) = found else {
            return Err(AppError::new(
                ErrorCode::LoginGone,
                "login: it was answered, expired or is no longer waiting",
            ));
        };
        let stored = self.stored(&account_id)?;
        let (server, device) = device_of(&stored)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotEnrolled,
                format!(
                    "account: {} is not enrolled with its site",
                    stored.describe()
                ),
            )
        })?;
        let number = number.map(str::trim).filter(|n| !n.is_empty());
        let answer = self
            .client
            .decide(&server, &device, &challenge, decision.into(), number)
            .await;
        self.save_clocks();
        let done = match &answer {
            Ok(_) => true,
            Err(e) => matches!(
                e.code(),
                Some(
                    WireCode::ChallengeDecided
                        | WireCode::ChallengeExpired
                        | WireCode::UnknownChallenge
                )
            ),
        };
        if done {
            let paused = {
                let mut logins = lock(&self.logins);
                if let Some(entries) = logins.per_account.get_mut(&account_id) {
                    entries.retain(|(view, _)| view.tx != tx);
                }
                answer.is_ok()
                    && decision != DecisionView::Approve
                    && logins.guards.entry(server.clone()).or_default().dismissed()
            };
            if paused {
                self.tell_site(&server);
            }
            self.send_logins();
        }
        answer?;
        Ok(Decided {
            decision,
            user_id: device.user_id,
        })
    }

    // ---- changing and removing ----

    /// The `rename` command; an empty label removes it.
    pub fn rename(self: &Arc<Self>, id: &str, label: Option<&str>) -> Result<(), AppError> {
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        self.vault()?.rename(id, label)?;
        self.changed();
        Ok(())
    }

    /// The `removal_check` command.
    pub async fn removal_check(self: &Arc<Self>, id: &str) -> Result<RemovalCheck, AppError> {
        self.refresh()?;
        let stored = self.stored(id)?;
        let check = removal::check(&self.client, &stored).await?;
        self.save_clocks();
        Ok(match check {
            SiteCheck::NoSite => RemovalCheck::NoSite,
            SiteCheck::Safe => RemovalCheck::Safe,
            SiteCheck::StillActive => RemovalCheck::StillActive,
            SiteCheck::Unknown(_) => RemovalCheck::Unknown,
        })
    }

    /// The `remove` command: deleted from the vault, then the site told to
    /// forget the device (best effort).
    pub async fn remove(self: &Arc<Self>, id: &str) -> Result<(), AppError> {
        let stored = self.vault()?.remove(id)?;
        lock(&self.logins).per_account.remove(id);
        self.send_logins();
        self.changed();
        let _ = removal::forget_device(&self.client, &stored).await;
        self.save_clocks();
        Ok(())
    }

    // ---- settings, about, visibility ----

    /// The `settings` command.
    pub fn settings(&self) -> Settings {
        *lock(&self.settings)
    }

    /// The `set_settings` command: saved beside the vault.
    pub fn set_settings(&self, settings: Settings) -> Result<Settings, AppError> {
        let dir = &self.options.data_dir;
        let io =
            |e: std::io::Error| AppError::new(ErrorCode::Io, format!("settings: cannot save: {e}"));
        std::fs::create_dir_all(dir).map_err(io)?;
        let text = serde_json::to_vec_pretty(&settings)
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("settings: {e}")))?;
        let temporary = dir.join("settings.json.tmp");
        std::fs::write(&temporary, text).map_err(io)?;
        std::fs::rename(&temporary, dir.join("settings.json")).map_err(io)?;
        *lock(&self.settings) = settings;
        self.host.protect_screen(settings.screenshot_protection);
        Ok(settings)
    }

    /// The `about` command.
    pub fn about(&self) -> About {
        let os = match crate::views::platform() {
            "linux" => "Linux",
            "windows" => "Windows",
            "macos" => "macOS",
            "android" => "Android",
            _ => "iOS",
        };
        About {
            version: env!("CARGO_PKG_VERSION"),
            platform: format!("{os} {}", std::env::consts::ARCH),
            data_dir: self.options.data_dir.display().to_string(),
            licences: LICENCES.to_vec(),
        }
    }

    /// The `has_camera` command: whether the Add screen offers a scan.
    pub fn has_camera(&self) -> bool {
        self.host.has_camera()
    }

    /// The `set_foreground` command: polling runs while visible.
    pub fn set_foreground(self: &Arc<Self>, visible: bool) {
        lock(&self.poller).visible = visible;
        if visible {
            let _ = self.refresh();
        }
        self.respawn();
    }

    /// Stops the poller's tasks and, while visible, starts one per enrolled
    /// account and the vault's re-read timer.
    fn respawn(self: &Arc<Self>) {
        let mut poller = lock(&self.poller);
        poller.stop();
        if !poller.visible || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let enrolled = self.enrolled(None).unwrap_or_default();
        for stored in enrolled {
            let app = Arc::clone(self);
            poller
                .tasks
                .push(tokio::spawn(async move { app.poll(stored.id).await }));
        }
        let app = Arc::downgrade(self);
        poller.tasks.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(RELOAD_EVERY).await;
                let Some(app) = app.upgrade() else { return };
                let _ = app.refresh();
                app.end_pauses();
                app.send_logins();
            }
        }));
    }

    /// One account's long poll, forever (until aborted). Never without
    /// pause: while logins wait the site answers at once, so polls are
    /// [`LOGINS_WAIT_GAP`] apart; a long poll answered empty at once (ended
    /// by another poll of the device, or a site that does not hold it)
    /// sleeps on the back-off, which only a poll that really waited resets.
    async fn poll(self: Arc<Self>, id: String) {
        let mut backoff = Duration::from_secs(1);
        // The first ask answers at once, so the site's state and any login
        // already waiting show without a long poll's wait.
        let mut wait = 0;
        loop {
            let Ok(stored) = self.stored(&id) else { return };
            let Ok(Some((server, device))) = device_of(&stored) else {
                return;
            };
            let asked_at = Instant::now();
            let asked = self.client.pending(&server, &device, wait).await;
            let waited = wait > 0;
            wait = POLL_WAIT;
            match asked {
                Ok(challenges) => {
                    let any = !challenges.is_empty();
                    self.set_site_state(&server, SiteState::Reachable);
                    let shown = self.set_waiting(&stored, challenges);
                    self.send_logins();
                    self.save_clocks();
                    if !shown.is_empty() {
                        // The site answers at once while logins wait.
                        tokio::time::sleep(LOGINS_WAIT_GAP).await;
                    } else if any || (waited && asked_at.elapsed() < EARLY_ANSWER) {
                        // Answered at once with nothing to show: logins put
                        // aside, paused or dropped, or a poll cut short.
                        let held = lock(&self.logins).held_for(&id, &server);
                        let pause = held.map_or(backoff, |left| left.min(backoff));
                        tokio::time::sleep(pause.max(LOGINS_WAIT_GAP)).await;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    } else if waited {
                        backoff = Duration::from_secs(1);
                    }
                }
                Err(error) => {
                    let state = state_of_error(&error);
                    self.set_site_state(&server, state);
                    if state == SiteState::TotpDisabled {
                        self.set_waiting(&stored, Vec::new());
                        self.send_logins();
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// What a failed request says about its site.
fn state_of_error(error: &spse_client::Error) -> SiteState {
    match error.code() {
        Some(WireCode::UnknownDevice | WireCode::TotpDisabled) => SiteState::TotpDisabled,
        _ => SiteState::Offline,
    }
}

/// Drops previews older than [`PREVIEW_TTL`].
fn sweep(previews: &mut HashMap<String, PreviewEntry>) {
    previews.retain(|_, entry| entry.made.elapsed() < PREVIEW_TTL);
}

/// Site text made safe to show, cut to [`MAX_SHOWN`] characters.
fn shown(text: &str) -> String {
    spse_protocol::text::shown(text, MAX_SHOWN)
}

/// The settings saved beside the vault, defaults when none or unreadable.
fn read_settings(dir: &Path) -> Settings {
    std::fs::read(dir.join("settings.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    const SPSE: &str = "otpauth://totp/LPSE:PPK2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE&spse=1&server=https%3A%2F%2Flpse.example.go.id%2Feproc4&enroll=Qm9kYS10b2tlbi1mb3ItcXIx";

    #[test]
    fn a_preview_debugs_without_its_secret_or_token() {
        let payload = Payload::parse(SPSE)
            .or_else(|_| Payload::parse("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
            .unwrap();
        let entry = PreviewEntry {
            payload,
            made: Instant::now(),
        };
        let debug = format!("{entry:?}");
        assert!(debug.contains("<redacted>"), "{debug}");
        for secret in ["GEZDGNBVGY3TQOJQ", "Qm9kYS10b2tlbi1mb3ItcXIx", "49, 50, 51"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let manual = ManualAccount {
            issuer: "Bank".into(),
            name: "budi".into(),
            secret: Zeroizing::new("GEZDGNBVGY3TQOJQ".into()),
            kind: ManualKind::Totp,
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            counter: 0,
        };
        assert!(!format!("{manual:?}").contains("GEZDGNBVGY3TQOJQ"));
    }

    /// A site floods with more new logins than [`FLOOD_LOGINS`] in a
    /// minute, each counted once however often it is listed; its pause
    /// holds its prompts back until it is over, then no longer.
    #[test]
    fn a_flood_pauses_its_site_until_the_pause_is_over() {
        let mut logins = Logins::default();
        let guard = logins.guards.entry("https://a.example".into()).or_default();
        let ids: Vec<String> = (0..=FLOOD_LOGINS).map(|i| format!("tx-{i}")).collect();
        for _ in 0..5 {
            assert!(!guard.listed(ids[..FLOOD_LOGINS].iter().map(String::as_str)));
        }
        assert!(guard.listed(ids.iter().map(String::as_str)), "one more");
        assert!(!guard.listed(ids.iter().map(String::as_str)), "paused once");
        assert!(logins.held("any", "https://a.example"));
        assert!(!logins.held("any", "https://b.example"));
        let left = logins.held_for("any", "https://a.example").unwrap();
        assert!(left > FLOOD_PAUSE - Duration::from_secs(5) && left <= FLOOD_PAUSE);

        let over = Instant::now()
            .checked_sub(Duration::from_millis(1))
            .unwrap();
        let guard = logins.guards.get_mut("https://a.example").unwrap();
        guard.paused = Some(Hold {
            until: over,
            until_ms: 0,
        });
        assert!(!logins.held("any", "https://a.example"));
        assert_eq!(logins.paused("https://a.example"), None);
        assert_eq!(logins.held_for("any", "https://a.example"), None);
    }
}
