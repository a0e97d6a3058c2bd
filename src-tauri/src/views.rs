//! What the commands answer and the events carry, as `ipc.ts` types them
//! (camelCase JSON). None of these types can hold a secret: they are built
//! from names, codes and states only.

use serde::{Deserialize, Serialize};
use spse_otp::Account;
use spse_vault::StoredAccount;
use zeroize::Zeroizing;

/// The platform the app runs on.
pub fn platform() -> &'static str {
    if cfg!(target_os = "android") {
        "android"
    } else if cfg!(target_os = "ios") {
        "ios"
    } else if cfg!(target_os = "windows") {
        "windows"
    } else if cfg!(target_os = "macos") {
        "macos"
    } else {
        "linux"
    }
}

/// What the app last learned of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SiteState {
    /// No answer yet.
    #[default]
    Unknown,
    /// The site answered.
    Reachable,
    /// The site is not answering; retried with back-off.
    Offline,
    /// The site says TOTP is off or the device unknown.
    TotpDisabled,
}

/// An SPSE site the vault has accounts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteView {
    /// The site's URL.
    pub server: String,
    /// The name the site gave at enrollment.
    pub name: Option<String>,
    /// A training site the user confirmed.
    pub training: bool,
    /// What the app last learned of it.
    pub state: SiteState,
    /// Set while the site's login prompts are paused because it flooded
    /// them (more new logins than a person makes, or prompts refused or
    /// put aside again and again): local Unix ms when they show again.
    /// Its card says so; `snooze_logins` with 0 minutes resumes them.
    pub paused_until: Option<u64>,
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// The vault's id.
    pub id: String,
    /// The SPSE site's URL, or none for a codes-only account.
    pub server: Option<String>,
    /// The issuer ("" when the payload named none).
    pub issuer: String,
    /// The user ID or account name.
    pub name: String,
    /// The user's own label.
    pub label: Option<String>,
    /// `totp` or `hotp`.
    pub kind: &'static str,
    /// Digits per code.
    pub digits: u8,
    /// Seconds per code (TOTP).
    pub period: Option<u32>,
    /// Enrolled with its site.
    pub enrolled: bool,
    /// Enrollment started but not confirmed.
    pub pending: bool,
    /// Set while the user has put the account's login prompts aside
    /// ("Nanti", `snooze_logins`): local Unix ms when they show again.
    pub snoozed_until: Option<u64>,
}

/// A name from a QR or an import, as the UI may show it: a format
/// character (a text-direction override, a zero-width space) stored before
/// names refused them becomes `?`, so `\u{202E}moc.knab` never reads as
/// "bank.com" (F-14). Nothing is cut: names are at most
/// [`spse_otp::MAX_NAME_LEN`] bytes.
fn name_shown(text: &str) -> String {
    spse_protocol::text::shown(text, spse_otp::MAX_NAME_LEN)
}

impl From<&StoredAccount> for AccountView {
    fn from(stored: &StoredAccount) -> AccountView {
        let account = &stored.account;
        AccountView {
            id: stored.id.clone(),
            server: stored.site.as_ref().map(|s| s.server.clone()),
            issuer: name_shown(account.issuer().unwrap_or_default()),
            name: name_shown(account.name()),
            label: stored.label.clone(),
            kind: account.kind().as_str(),
            digits: account.digits(),
            period: period(account),
            enrolled: !stored.is_pending()
                && stored.site.as_ref().is_some_and(|s| s.device.is_some()),
            pending: stored.is_pending(),
            snoozed_until: None,
        }
    }
}

/// A TOTP or Steam account's period, none for HOTP.
pub(crate) fn period(account: &Account) -> Option<u32> {
    account.kind().period()
}

/// Sites and accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountsView {
    /// Every SPSE site with accounts, in the order of their first account.
    pub sites: Vec<SiteView>,
    /// Every account, in the user's order.
    pub accounts: Vec<AccountView>,
    /// Set when `vault.json` could not be used and its backup was opened
    /// instead: the user must be told the last change may be missing (the
    /// damaged file is kept beside it).
    pub restored_from_backup: Option<RestoredFrom>,
    /// How many times this run the vault was opened from its backup: a
    /// higher number than the warning the user closed is a new restore,
    /// told again (F-20).
    pub restores: u32,
    /// The quiet line under the list when the accounts are not all in a
    /// backup: never made, or changed since; `None` when they are (or there
    /// are none).
    pub backup: Option<BackupNote>,
}

/// Why the vault was opened from its backup, for the warning the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RestoredFrom {
    /// `vault.json` was gone.
    Missing,
    /// `vault.json` was not a readable vault file.
    Corrupt,
    /// `vault.json` failed its integrity check.
    Tampered,
}

impl From<spse_vault::RecoveryReason> for RestoredFrom {
    fn from(reason: spse_vault::RecoveryReason) -> Self {
        match reason {
            spse_vault::RecoveryReason::Missing => RestoredFrom::Missing,
            spse_vault::RecoveryReason::Corrupt => RestoredFrom::Corrupt,
            spse_vault::RecoveryReason::Tampered => RestoredFrom::Tampered,
        }
    }
}

/// One account's codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeView {
    /// The account's id.
    pub id: String,
    /// The code now, ungrouped.
    pub code: String,
    /// The following period's code (TOTP).
    pub next: Option<String>,
    /// Local Unix ms when `code` stops being valid (TOTP).
    pub valid_until: Option<u64>,
    /// Seconds per code (TOTP).
    pub period: Option<u32>,
}

/// Every account's codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodesView {
    /// The local clock when the codes were made, Unix ms.
    pub now: u64,
    /// One per account, in the user's order.
    pub codes: Vec<CodeView>,
}

/// One account a payload holds, by name only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewAccount {
    /// The issuer ("" when none).
    pub issuer: String,
    /// The account name or user ID.
    pub name: String,
    /// `totp` or `hotp`.
    pub kind: &'static str,
    /// Digits per code.
    pub digits: u8,
    /// Seconds per code (TOTP).
    pub period: Option<u32>,
}

impl From<&Account> for PreviewAccount {
    fn from(account: &Account) -> PreviewAccount {
        PreviewAccount {
            issuer: name_shown(account.issuer().unwrap_or_default()),
            name: name_shown(account.name()),
            kind: account.kind().as_str(),
            digits: account.digits(),
            period: period(account),
        }
    }
}

/// What a payload holds, before anything is stored or sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Names the payload kept on the Rust side.
    pub handle: String,
    /// `spse`, `otpauth` or `migration`.
    pub kind: &'static str,
    /// The SPSE site's URL.
    pub server: Option<String>,
    /// A training server: adding needs the user's confirmation.
    pub training: bool,
    /// Every account adding replaces, after confirmation (an export may
    /// hold several already here: each is listed, F-18); empty when none.
    /// A replacement keeps its label.
    pub replaces: Vec<AccountView>,
    /// The accounts it holds.
    pub accounts: Vec<PreviewAccount>,
}

/// A link opened on the phone: its preview, or why it cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    /// What the link holds, waiting for the user to confirm or cancel.
    pub preview: Option<Preview>,
    /// Why it cannot be added.
    pub error: Option<crate::error::AppError>,
}

/// What adding stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    /// The new accounts' ids.
    pub ids: Vec<String>,
    /// The SPSE site's URL for an enrollment.
    pub server: Option<String>,
    /// The name the site gave.
    pub site_name: Option<String>,
    /// The enrolled user ID.
    pub user: Option<String>,
}

/// `totp` or `hotp`, as the UI sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManualKind {
    /// Time-based.
    Totp,
    /// Counter-based.
    Hotp,
}

/// A generic account typed in by hand.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManualAccount {
    /// The issuer.
    pub issuer: String,
    /// The account name.
    pub name: String,
    /// Base32, spaces and case ignored; wiped on drop.
    pub secret: Zeroizing<String>,
    /// `totp` or `hotp`.
    pub kind: ManualKind,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: String,
    /// Digits per code.
    pub digits: u8,
    /// TOTP seconds per code.
    pub period: u32,
    /// HOTP counter.
    pub counter: u64,
}

impl std::fmt::Debug for ManualAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualAccount")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A login waiting for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginView {
    /// The login's id.
    pub tx: String,
    /// The account it is for.
    pub account_id: String,
    /// The user ID logging in.
    pub user_id: String,
    /// The site: the address the app checked, which the sheet leads with
    /// (a site names itself as it likes, F-15).
    pub server: String,
    /// A training site (plain `http://` or a private address), marked as
    /// such on the sheet: a real-looking name on a LAN server is no LPSE.
    pub training: bool,
    /// The site's name, as the site gave it: shown after its address.
    pub site_name: Option<String>,
    /// The browser and system, when the app recognises them ("Chrome 131
    /// on Windows", made of the app's own names and the version's digits);
    /// null otherwise, shown as "Browser tidak dikenal". The person logging
    /// in writes the User-Agent: their words never reach the sheet.
    pub browser: Option<String>,
    /// The browser's IP address, when the site sent one; null for any
    /// other text (a proxy's `X-Forwarded-For` can carry words), shown as
    /// "tidak diketahui".
    pub ip: Option<String>,
    /// Local Unix ms.
    pub created_at: u64,
    /// Local Unix ms.
    pub expires_at: u64,
    /// The site asks for the number its login page shows.
    pub number_match: bool,
}

/// The answer to a login, as the UI sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionView {
    /// Let the login in.
    Approve,
    /// Refuse it.
    Deny,
    /// Refuse it and report it as not the user's.
    Report,
}

impl From<DecisionView> for spse_protocol::wire::Decision {
    fn from(decision: DecisionView) -> spse_protocol::wire::Decision {
        match decision {
            DecisionView::Approve => spse_protocol::wire::Decision::Approve,
            DecisionView::Deny => spse_protocol::wire::Decision::Deny,
            DecisionView::Report => spse_protocol::wire::Decision::Report,
        }
    }
}

/// What became of a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decided {
    /// The decision the site took.
    pub decision: DecisionView,
    /// The account's user ID.
    pub user_id: String,
}

/// What the site says before deleting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RemovalCheck {
    /// A codes-only account.
    NoSite,
    /// Nothing on the site depends on it.
    Safe,
    /// TOTP is still active: deleting locks the user out.
    StillActive,
    /// The site could not say.
    Unknown,
}

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// The system's.
    #[default]
    System,
    /// Indonesian.
    Id,
    /// English.
    En,
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// The system's.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// The user's settings (non-secret, `settings.json` beside the vault).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The interface language.
    #[serde(default)]
    pub language: Language,
    /// The colour theme.
    #[serde(default)]
    pub theme: Theme,
    /// FLAG_SECURE on Android.
    #[serde(default = "yes")]
    pub screenshot_protection: bool,
    /// Desktop: closing the window hides it to the tray, where polling
    /// goes on and a login raises an OS notification; Quit is in the
    /// tray's menu. On by default: a login must find the user.
    #[serde(default = "yes")]
    pub close_to_tray: bool,
    /// Desktop: the app starts hidden in the tray when the user logs in
    /// to the computer (`tauri-plugin-autostart`).
    #[serde(default)]
    pub start_at_login: bool,
    /// Android: "Selalu aktif", a foreground service keeps the app running
    /// in the background so its long polls go on and a login raises a
    /// notification, for phones without a push distributor. Off by default
    /// (it costs battery and shows an ongoing notification).
    #[serde(default)]
    pub always_on: bool,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            language: Language::System,
            theme: Theme::System,
            screenshot_protection: true,
            close_to_tray: true,
            start_at_login: false,
            always_on: false,
        }
    }
}

/// Whether a login can reach the user while the app is closed (the
/// `push_status` command): on Android through a UnifiedPush distributor
/// and the notification permission; desktop has no push (it polls from
/// the tray) and answers [`PushState::Unavailable`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushStatus {
    /// What holds push back, if anything.
    pub state: PushState,
    /// The distributor app's name (e.g. ntfy), when there is one.
    pub distributor: Option<String>,
}

/// See [`PushStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PushState {
    /// Logins wake the phone.
    On,
    /// No UnifiedPush distributor app is installed.
    NoDistributor,
    /// The user refused notifications.
    NotificationsDenied,
    /// Notifications were not asked for yet (Android 13+).
    NotificationsUnasked,
    /// No push on this platform.
    Unavailable,
}

/// One shipped package: a crate the app links or an npm package of its UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LicencedPackage {
    /// The crate's or package's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// An npm package (the UI), not a crate.
    pub npm: bool,
}

/// The shipped packages under one licence expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenceGroup {
    /// The SPDX expression ("Apache-2.0 OR MIT").
    pub licence: String,
    /// Its packages, by name.
    pub packages: Vec<LicencedPackage>,
}

/// The About screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct About {
    /// The app's version.
    pub version: &'static str,
    /// "Linux x86_64", ...
    pub platform: String,
    /// The data folder.
    pub data_dir: String,
    /// Every third-party package shipped (`licences.json`), by licence, the
    /// largest group first.
    pub licences: Vec<LicenceGroup>,
}

/// An enrollment settled at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveredView {
    /// The account's id.
    pub account_id: String,
    /// Its user ID.
    pub user_id: String,
    /// Its site.
    pub server: String,
    /// `finished`, `rolledBack` or `unresolved`.
    pub outcome: &'static str,
}

/// The `site-state` event's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteStateEvent {
    /// The site.
    pub server: String,
    /// Its state now.
    pub state: SiteState,
    /// Local Unix ms when its paused prompts show again, none when not
    /// paused (as [`SiteView::paused_until`]).
    pub paused_until: Option<u64>,
}

/// Why the list suggests a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupNote {
    /// `never` or `changed`.
    pub state: &'static str,
    /// When the last backup was made, Unix seconds.
    pub last_at: Option<u64>,
}

impl BackupNote {
    /// The note for `state`, none when the accounts are backed up.
    pub fn of(state: spse_vault::BackupState) -> Option<BackupNote> {
        match state {
            spse_vault::BackupState::NoAccounts | spse_vault::BackupState::Current { .. } => None,
            spse_vault::BackupState::Never => Some(BackupNote {
                state: "never",
                last_at: None,
            }),
            spse_vault::BackupState::Changed { at } => Some(BackupNote {
                state: "changed",
                last_at: Some(at),
            }),
        }
    }
}

/// The Backup screen's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// Accounts a backup would hold.
    pub accounts: usize,
    /// Of them, SPSE accounts (their device keys go into the backup).
    pub spse_accounts: usize,
    /// When the last backup was made, Unix seconds.
    pub last_at: Option<u64>,
    /// Whether the accounts changed since (or no backup was made).
    pub changed: bool,
}

/// Where a file was saved, or that the user cancelled the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    /// False when the user cancelled.
    pub saved: bool,
    /// The file's name as the user can find it again.
    pub file: Option<String>,
}

/// A file picked to import or restore, kept on the Rust side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    /// Names the file for `read_import`, `confirm_import`, `cancel_import`.
    pub handle: String,
    /// The format's stable id (`aegis`, `spse`, ...).
    pub format: &'static str,
    /// The app's name (`Aegis`, `SPSE Auth backup`).
    pub format_name: &'static str,
    /// Whether `read_import` needs the file's password.
    pub encrypted: bool,
}

/// One account an import or restore would add (or finds already here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportAccount {
    /// Its issuer.
    pub issuer: Option<String>,
    /// Its account name (the user ID of an SPSE account).
    pub name: String,
    /// `totp`, `hotp` or `steam`.
    pub kind: &'static str,
    /// The SPSE site's address, for an SPSE account of a backup.
    pub site: Option<String>,
    /// Already in the vault: skipped, never doubled.
    pub already: bool,
}

/// An entry of the file that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSkipped {
    /// Its issuer.
    pub issuer: Option<String>,
    /// Its account name.
    pub name: String,
    /// `unsupportedType`, `unsupportedAlgorithm` or `invalid`.
    pub reason_code: &'static str,
    /// The type or algorithm, or the English reason (never a secret).
    pub detail: String,
}

/// What a picked file holds, shown before anything is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// The file's handle.
    pub handle: String,
    /// The format's id.
    pub format: &'static str,
    /// The app's name.
    pub format_name: &'static str,
    /// An SPSE Auth backup: restored with device keys.
    pub restore: bool,
    /// The accounts, in the file's order.
    pub accounts: Vec<ImportAccount>,
    /// The entries left out.
    pub skipped: Vec<ImportSkipped>,
}

/// What an import or restore added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportDone {
    /// Accounts added.
    pub added: usize,
    /// Accounts of the file already here, left as they were.
    pub already: usize,
}

/// What an export for another app wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    /// False when the user cancelled the picker.
    pub saved: bool,
    /// The file's name.
    pub file: Option<String>,
    /// Accounts written.
    pub count: usize,
    /// Of them, SPSE accounts written without their device key.
    pub spse: usize,
}

/// Where the unreadable vault was put.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAside {
    /// The file name it now has, beside the new vault.
    pub kept_as: String,
}
