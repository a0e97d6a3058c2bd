//! Settings → Backup and restore: a backup sealed with the user's password
//! (spse-backup, docs/backup.md), restored on a new device with device keys;
//! other apps' exports imported after the user saw what they hold; exports
//! for leaving; and a fresh vault beside an unreadable one, to restore into.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spse_backup::{Detected, Format, Limits, SkipReason, backup, export};
use spse_otp::Account;
use spse_vault::{StoredAccount, Vault};
use zeroize::Zeroizing;

use super::{App, lock};
use crate::error::{AppError, ErrorCode};
use crate::views::{
    BackupStatus, Exported, ImportAccount, ImportDone, ImportPreview, ImportSkipped, Opened, Saved,
    SetAside,
};

/// How long a picked file is kept waiting for its password or the user's
/// word: as long as a preview.
const PICKED_TTL: Duration = super::PREVIEW_TTL;
/// Files kept at once; the oldest goes first.
const MAX_PICKED: usize = 4;

/// A file picked to import or restore: its bytes (wiped on drop) until it
/// is read, then what it holds, until added, cancelled or [`PICKED_TTL`] old.
pub struct Picked {
    bytes: Zeroizing<Vec<u8>>,
    found: Detected,
    read: Option<Read>,
    made: Instant,
}

/// What a picked file was read to.
enum Read {
    /// An SPSE Auth backup's accounts, device keys included.
    Restore(Vec<StoredAccount>),
    /// Another app's accounts.
    Import(Vec<Account>),
}

impl std::fmt::Debug for Picked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picked")
            .field("format", &self.found.format)
            .field("bytes", &self.bytes.len())
            .field("read", &self.read.is_some())
            .finish_non_exhaustive()
    }
}

/// The export formats for leaving, as the UI names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// Aegis's vault, encrypted (Aegis, Ente Auth, Proton Authenticator).
    Aegis,
    /// Aegis's vault, unencrypted (2FAS imports only this).
    AegisPlain,
    /// `otpauth://` links, one a line.
    Otpauth,
}

impl From<spse_backup::Error> for AppError {
    fn from(error: spse_backup::Error) -> AppError {
        use spse_backup::Error as E;
        let code = match &error {
            E::Unrecognised => ErrorCode::ImportUnrecognised,
            E::TooLarge { .. } => ErrorCode::ImportTooLarge,
            E::PasswordNeeded { .. } => ErrorCode::ImportPasswordNeeded,
            E::WrongPassword { .. } => ErrorCode::ImportWrongPassword,
            E::NewerVersion { .. } => ErrorCode::ImportNewerVersion,
            E::Unsupported { .. } => ErrorCode::ImportUnsupported,
            E::TooMuchMemory { .. } => ErrorCode::ImportTooMuchMemory,
            E::PasswordTooShort { .. } => ErrorCode::BackupPasswordShort,
            E::Damaged { .. } | E::KdfParams { .. } => ErrorCode::ImportDamaged,
            _ => ErrorCode::Internal,
        };
        AppError::new(code, error.to_string())
    }
}

/// What this device can give a file's password derivation: half the memory
/// available now (Linux and Android say it in /proc/meminfo), at most 1 GiB.
/// Ente's older exports ask up to 1 GiB: a phone without it is told, not
/// killed.
pub(crate) fn kdf_limits() -> Limits {
    let available_mib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("MemAvailable:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map(|kib| kib / 1024);
    let default = Limits::default();
    Limits {
        kdf_memory_mib: available_mib.map_or(default.kdf_memory_mib, |mib| {
            (mib / 2).min(default.kdf_memory_mib)
        }),
    }
}

/// `YYYY-MM-DD` of a Unix time, for file names (days to civil date, Howard
/// Hinnant's algorithm).
fn date(unix_seconds: u64) -> String {
    let days = i64::try_from(unix_seconds / 86_400).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn today() -> String {
    date(spse_protocol::now_ms() / 1000)
}

impl App {
    /// The `backup_status` command.
    pub fn backup_status(self: &Arc<Self>) -> Result<BackupStatus, AppError> {
        self.refresh()?;
        let vault = self.vault()?;
        let kept: Vec<&StoredAccount> = vault
            .accounts()
            .iter()
            .filter(|a| !a.is_pending())
            .collect();
        let (last_at, changed) = match vault.backup_state() {
            spse_vault::BackupState::NoAccounts => (None, false),
            spse_vault::BackupState::Never => (None, true),
            spse_vault::BackupState::Changed { at } => (Some(at), true),
            spse_vault::BackupState::Current { at } => (Some(at), false),
        };
        Ok(BackupStatus {
            accounts: kept.len(),
            spse_accounts: kept.iter().filter(|a| a.site.is_some()).count(),
            last_at,
            changed,
        })
    }

    /// The `make_backup` command: every account sealed with `password`,
    /// saved where the user picks; remembered as the last backup once saved.
    pub fn make_backup(self: &Arc<Self>, password: &str) -> Result<Saved, AppError> {
        self.refresh()?;
        let contents = self.vault()?.backup_contents();
        let sealed = backup::seal(&contents, password, backup::KdfParams::DEFAULT)?;
        drop(contents);
        let name = format!("spse-auth-backup-{}.spseauth", today());
        let Some(file) = self.host.save_file(&name, &sealed)? else {
            return Ok(Saved {
                saved: false,
                file: None,
            });
        };
        self.vault()?.mark_backed_up()?;
        self.emit(super::events::ACCOUNTS_CHANGED, &());
        Ok(Saved {
            saved: true,
            file: Some(file),
        })
    }

    /// The `open_import` command: a picked file, recognised from its
    /// content and kept for [`App::read_import`].
    pub fn open_import(&self, bytes: Vec<u8>) -> Result<Opened, AppError> {
        let bytes = Zeroizing::new(bytes);
        let found = spse_backup::detect(&bytes)?;
        let handle = spse_client::random_device_id()?;
        let mut picked = lock(&self.imports);
        picked.retain(|_, p| p.made.elapsed() < PICKED_TTL);
        while picked.len() >= MAX_PICKED {
            let oldest = picked
                .iter()
                .min_by_key(|(_, p)| p.made)
                .map(|(handle, _)| handle.clone());
            match oldest {
                Some(oldest) => picked.remove(&oldest),
                None => break,
            };
        }
        picked.insert(
            handle.clone(),
            Picked {
                bytes,
                found,
                read: None,
                made: Instant::now(),
            },
        );
        Ok(Opened {
            handle,
            format: found.format.id(),
            format_name: found.format.name(),
            encrypted: found.encrypted,
        })
    }

    /// The `read_import` command: opens the picked file (with its
    /// password when it is sealed) and says what adding it would do;
    /// nothing is added yet.
    pub fn read_import(
        self: &Arc<Self>,
        handle: &str,
        password: Option<&str>,
    ) -> Result<ImportPreview, AppError> {
        self.refresh()?;
        let (bytes, found) = {
            let picked = lock(&self.imports);
            let entry = picked.get(handle).filter(|p| p.made.elapsed() < PICKED_TTL);
            let entry = entry.ok_or_else(gone)?;
            (entry.bytes.clone(), entry.found)
        };
        let limits = kdf_limits();
        let (read, skipped) = if found.format == Format::SpseBackup {
            let password = password.ok_or(spse_backup::Error::PasswordNeeded {
                format: Format::SpseBackup,
            })?;
            let plaintext = backup::open(&bytes, password, &limits)?;
            let accounts = spse_vault::read_backup_contents(&plaintext)
                .map_err(|e| AppError::new(ErrorCode::ImportDamaged, e.to_string()))?;
            (Read::Restore(accounts), Vec::new())
        } else {
            let imported = spse_backup::read(&bytes, password, &limits)?;
            (Read::Import(imported.accounts), imported.skipped)
        };
        let vault = self.vault()?;
        let accounts = match &read {
            Read::Restore(accounts) => accounts
                .iter()
                .map(|stored| ImportAccount {
                    issuer: stored.account.issuer().map(str::to_owned),
                    name: stored.account.name().to_owned(),
                    kind: stored.account.kind().as_str(),
                    site: stored.site.as_ref().map(|s| s.server.clone()),
                    already: vault.holds(&stored.account, stored.site.as_ref()),
                })
                .collect(),
            Read::Import(accounts) => accounts
                .iter()
                .map(|account| ImportAccount {
                    issuer: account.issuer().map(str::to_owned),
                    name: account.name().to_owned(),
                    kind: account.kind().as_str(),
                    site: None,
                    already: vault.holds(account, None),
                })
                .collect(),
        };
        drop(vault);
        let preview = ImportPreview {
            handle: handle.to_owned(),
            format: found.format.id(),
            format_name: found.format.name(),
            restore: matches!(read, Read::Restore(_)),
            accounts,
            skipped: skipped.into_iter().map(skipped_view).collect(),
        };
        if let Some(entry) = lock(&self.imports).get_mut(handle) {
            entry.read = Some(read);
        }
        Ok(preview)
    }

    /// The `confirm_import` command: adds what [`App::read_import`] showed,
    /// the accounts already here left as they are.
    pub fn confirm_import(self: &Arc<Self>, handle: &str) -> Result<ImportDone, AppError> {
        let picked = lock(&self.imports).remove(handle).ok_or_else(gone)?;
        let done = match picked.read {
            Some(Read::Restore(accounts)) => self.vault()?.restore(accounts)?,
            Some(Read::Import(accounts)) => self.vault()?.import(accounts)?,
            None => return Err(gone()),
        };
        if !done.added.is_empty() {
            self.changed();
        }
        Ok(ImportDone {
            added: done.added.len(),
            already: done.already.len(),
        })
    }

    /// The `cancel_import` command: forgets a picked file.
    pub fn cancel_import(&self, handle: &str) {
        lock(&self.imports).remove(handle);
    }

    /// The `export_accounts` command: every account's codes for another
    /// app, saved where the user picks. SPSE accounts go as codes only:
    /// their device key never leaves for another app.
    pub fn export_accounts(
        self: &Arc<Self>,
        format: ExportFormat,
        password: Option<&str>,
    ) -> Result<Exported, AppError> {
        self.refresh()?;
        let (accounts, spse) = {
            let vault = self.vault()?;
            let kept: Vec<&StoredAccount> = vault
                .accounts()
                .iter()
                .filter(|a| !a.is_pending())
                .collect();
            let spse = kept.iter().filter(|a| a.site.is_some()).count();
            (
                kept.iter()
                    .map(|a| a.account.clone())
                    .collect::<Vec<Account>>(),
                spse,
            )
        };
        let (bytes, name) = match format {
            ExportFormat::Aegis => {
                let password = password.ok_or_else(|| {
                    AppError::new(
                        ErrorCode::BackupPasswordShort,
                        "password: required for an encrypted export",
                    )
                })?;
                (
                    Zeroizing::new(export::aegis_encrypted(&accounts, password)?),
                    format!("aegis-export-{}.json", today()),
                )
            }
            ExportFormat::AegisPlain => (
                export::aegis_plain(&accounts),
                format!("aegis-export-plain-{}.json", today()),
            ),
            ExportFormat::Otpauth => (
                export::otpauth_list(&accounts),
                format!("otpauth-links-{}.txt", today()),
            ),
        };
        let file = self.host.save_file(&name, &bytes)?;
        Ok(Exported {
            saved: file.is_some(),
            file,
            count: accounts.len(),
            spse,
        })
    }

    /// The `set_aside_vault` command, for a vault that cannot be opened
    /// (tampered, corrupt, or its key gone from the keystore): its files
    /// are renamed aside (kept, never deleted: a later fix may still open
    /// them), and a new empty vault opens, for a backup to be restored into.
    pub fn set_aside_vault(self: &Arc<Self>) -> Result<SetAside, AppError> {
        let error = match self.vault_mutex() {
            Ok(_) => {
                return Err(AppError::new(
                    ErrorCode::Internal,
                    "vault: it opens; nothing to set aside",
                ));
            }
            Err(error) => error,
        };
        if !matches!(
            error.code,
            ErrorCode::VaultTampered | ErrorCode::VaultCorrupt | ErrorCode::KeyMissing
        ) {
            return Err(error);
        }
        let keystore = self.keystore.clone().ok_or(error)?;
        let paths = spse_vault::Paths::new(&self.options.data_dir);
        let stamp = spse_protocol::now_ms() / 1000;
        let mut kept_as = String::new();
        for path in [&paths.current, &paths.backup] {
            if !path.exists() {
                continue;
            }
            let mut aside = path.as_os_str().to_owned();
            aside.push(format!(".unreadable-{stamp}"));
            let aside = std::path::PathBuf::from(aside);
            std::fs::rename(path, &aside).map_err(|e| {
                AppError::from(spse_vault::Error::Io {
                    action: "set aside",
                    path: path.clone(),
                    source: e,
                })
            })?;
            if kept_as.is_empty() {
                kept_as = aside
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
            }
        }
        let vault = Vault::open(&self.options.data_dir, keystore)?;
        if self.fresh_vault.set(Mutex::new(vault)).is_err() {
            return Err(AppError::new(
                ErrorCode::Internal,
                "vault: already set aside this run",
            ));
        }
        self.changed();
        Ok(SetAside { kept_as })
    }
}

fn gone() -> AppError {
    AppError::new(
        ErrorCode::PreviewGone,
        "file: pick it again (it was added, cancelled or kept too long)",
    )
}

fn skipped_view(skipped: spse_backup::Skipped) -> ImportSkipped {
    let (reason_code, detail) = match skipped.reason {
        SkipReason::UnsupportedType(kind) => ("unsupportedType", kind),
        SkipReason::UnsupportedAlgorithm(name) => ("unsupportedAlgorithm", name),
        SkipReason::Invalid(why) => ("invalid", why),
        other => ("invalid", other.to_string()),
    };
    ImportSkipped {
        issuer: skipped.issuer,
        name: skipped.name,
        reason_code,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_796_169_600), "2026-12-02");
    }
}
