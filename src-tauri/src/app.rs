//! The app's state and every command's logic, free of Tauri so the tests
//! drive it directly: the vault (shared as `spse-accounts` wants it), one
//! client for every site, what each site last said, the settings; adding
//! accounts is in `adding` (the payloads previewed but not yet added),
//! the poller and the waiting logins in `logins`. What reaches the window
//! goes through a [`Host`]: events and the clipboard.

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
    About, AccountView, AccountsView, Added, BackupNote, CodeView, CodesView, Decided,
    DecisionView, LinkView, LoginView, ManualAccount, ManualKind, Preview, PreviewAccount,
    RecoveredView, RemovalCheck, RestoredFrom, Settings, SiteState, SiteStateEvent, SiteView,
};

/// Previews and adding accounts.
mod adding;
/// Backup, restore, import from other apps, export for leaving.
mod backups;
/// The poller, the waiting logins and the answers.
mod logins;
/// OS notifications of logins and of the first close to the tray.
mod notices;
/// Push registrations (Android): each site told where to wake the app.
mod push;

pub use adding::{PREVIEW_TTL, PreviewEntry};
pub use backups::{ExportFormat, Picked};
pub use logins::{
    FLOOD_DISMISSALS, FLOOD_LOGINS, FLOOD_PAUSE, FLOOD_WINDOW, MAX_LOGIN_FUTURE_MS,
    MAX_LOGIN_LIFE_MS, MAX_LOGINS_PER_ACCOUNT, MAX_SNOOZE_MINUTES,
};
use logins::{Logins, Poller};
use notices::Notices;
pub use notices::{TRAY_NOTICE, login_notice, tray_notice};
pub use push::{PushEndpoint, PushReport, PushWanted};

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

/// How long a copied code stays on the clipboard.
pub const CLIPBOARD_TTL: Duration = Duration::from_secs(30);
/// A site's clock offset is saved at most this often: a save is a sealed,
/// fsync'd vault write and a backup rotation, and a site whose
/// `server_time` jumps would otherwise cause one with every answer. The
/// offset in memory, which signed requests use, follows every answer.
const CLOCK_SAVE_EVERY: Duration = Duration::from_secs(60);
/// How often the vault is re-read for the CLI's changes while visible.
const RELOAD_EVERY: Duration = Duration::from_secs(2);
/// The longest site name, browser or IP shown (characters).
const MAX_SHOWN: usize = 100;

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
    /// Whether the user sees the window now (shown and focused): a login
    /// arriving while not is told by an OS notification. Phones are told
    /// by their push handler instead, so by default always.
    fn in_view(&self) -> bool {
        true
    }
    /// Shows OS notification `id` (one of the same id is replaced); a
    /// click on it shows the window on the waiting logins.
    fn notify(&self, id: i32, title: &str, body: &str) {
        let _ = (id, title, body);
    }
    /// Withdraws OS notification `id`, if it is still shown.
    fn withdraw(&self, id: i32) {
        let _ = id;
    }
    /// Starts the app, hidden, when the user logs in to the computer, or
    /// no longer (desktop).
    fn set_autostart(&self, on: bool) -> Result<(), AppError> {
        let _ = on;
        Ok(())
    }
    /// Android: keeps the app running in the background ("Selalu aktif",
    /// a foreground service), or no longer.
    fn set_always_on(&self, on: bool) -> Result<(), AppError> {
        let _ = on;
        Ok(())
    }
    /// Phones: registers with the push connector the accounts in `wanted`
    /// (each with its site's VAPID key) and no others; what it has then.
    /// `None` where there is no push (desktop polls from the tray).
    fn push_subscribe(&self, wanted: &[PushWanted]) -> Option<PushReport> {
        let _ = wanted;
        None
    }
    /// Phones: what the push connector has now (new endpoints arrive while
    /// the app is closed).
    fn push_report(&self) -> Option<PushReport> {
        None
    }
    /// Phones: asks for the notification permission (Android 13+).
    fn ask_notifications(&self) -> Option<PushReport> {
        None
    }
    /// Asks the user where to save a file (`suggested` its name) and
    /// writes `bytes` there: the system's save dialog on desktop, the
    /// system file picker on Android. The name the user can find it by, or
    /// `None` when the user cancelled.
    fn save_file(&self, suggested: &str, bytes: &[u8]) -> Result<Option<String>, AppError>;
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
    /// Whether polling goes on while the window is hidden: on desktop,
    /// whose tray has no push service to wake it; not on phones, which a
    /// site's push wakes (a hidden app's long polls would drain them).
    pub poll_hidden: bool,
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
            poll_hidden: !cfg!(any(target_os = "android", target_os = "ios")),
            cleartext: true,
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
    /// The logins told by OS notifications.
    notices: Mutex<Notices>,
    /// What each account's site was told of its push endpoint this run.
    pushes: Mutex<push::Pushes>,
    /// The vault opened after the unreadable one was set aside
    /// ([`App::set_aside_vault`]): used instead of `vault` from then on.
    fresh_vault: std::sync::OnceLock<Mutex<Vault>>,
    /// The keystore the vault was opened with, for a fresh vault.
    keystore: Option<Keystore>,
    /// Files picked to import or restore, by handle.
    imports: Mutex<HashMap<String, backups::Picked>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("data_dir", &self.options.data_dir)
            .field("vault_open", &self.vault_mutex().is_ok())
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
        let kept = keystore.as_ref().ok().cloned();
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
        if settings.always_on
            && let Err(error) = host.set_always_on(true)
        {
            eprintln!("always on: {error}");
        }
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
            notices: Mutex::new(Notices::default()),
            pushes: Mutex::new(push::Pushes::default()),
            fresh_vault: std::sync::OnceLock::new(),
            keystore: kept,
            imports: Mutex::new(HashMap::new()),
        }))
    }

    /// What runs once at start: settles enrollments a crash left pending
    /// (told to the window by `recovered`), then starts polling.
    pub async fn start(self: &Arc<Self>) {
        let mut settled = Vec::new();
        if let Ok(vault) = self.vault_mutex() {
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
        self.sync_push(true);
    }

    // ---- helpers ----

    fn vault_mutex(&self) -> Result<&Mutex<Vault>, AppError> {
        match self.fresh_vault.get() {
            Some(fresh) => Ok(fresh),
            None => self.vault.as_ref().map_err(Clone::clone),
        }
    }

    fn vault(&self) -> Result<MutexGuard<'_, Vault>, AppError> {
        Ok(lock(self.vault_mutex()?))
    }

    fn emit<T: Serialize + ?Sized>(&self, event: &str, payload: &T) {
        let value = serde_json::to_value(payload).unwrap_or(serde_json::Value::Null);
        self.host.emit(event, value);
    }

    /// Whether the polls go on while the window is hidden: on desktop
    /// always; on a phone while "Selalu aktif" is on.
    fn polls_hidden(&self) -> bool {
        self.options.poll_hidden || lock(&self.settings).always_on
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
        self.sync_push(true);
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
            backup: BackupNote::of(vault.backup_state()),
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
                match account.kind().period() {
                    Some(period) => {
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
                    None => CodeView {
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
    pub fn set_settings(self: &Arc<Self>, settings: Settings) -> Result<Settings, AppError> {
        // The start at login first: a setting saved is one that holds.
        let before = *lock(&self.settings);
        if before.start_at_login != settings.start_at_login {
            self.host.set_autostart(settings.start_at_login)?;
        }
        if before.always_on != settings.always_on {
            self.host.set_always_on(settings.always_on)?;
        }
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
        if before.always_on != settings.always_on {
            // Hidden, the polls now go on, or end.
            self.respawn();
        }
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
            licences: crate::licences::grouped(),
        }
    }

    /// The `has_camera` command: whether the Add screen offers a scan.
    pub fn has_camera(&self) -> bool {
        self.host.has_camera()
    }
}

/// Site text made safe to show, cut to [`MAX_SHOWN`] characters.
fn shown(text: &str) -> String {
    spse_protocol::text::shown(text, MAX_SHOWN)
}

/// The settings saved beside the vault, defaults when none or unreadable.
pub fn read_settings(dir: &Path) -> Settings {
    std::fs::read(dir.join("settings.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}
