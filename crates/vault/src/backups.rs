//! What moves between vaults: the content of an SPSE Auth backup (the
//! vault's own records, device keys included, docs/backup.md), accounts
//! restored from one or imported from another app's export, and the mark of
//! the last backup that tells the user when the accounts changed since.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use spse_otp::{Account, Kind};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::files;
use crate::records::{Record, StoredAccount, WipingWriter};
use crate::vault::{Vault, now};

/// The `app` member of a backup's content: what wrote it.
const APP: &str = "spse-auth";

/// The file beside the vault that remembers the last backup: when, and a
/// digest of what the accounts were then. It holds no secret (the digest
/// covers ids, counters, labels and sites, never a secret or key).
const MARK_FILE: &str = "last-backup.json";

/// The plaintext of a backup, as docs/backup.md specifies it.
#[derive(Serialize, Deserialize)]
struct Contents {
    app: String,
    made_at: u64,
    accounts: Vec<Record>,
}

/// What a restore or an import did, for the user and the CLI's lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// The ids of the accounts added, in the file's order.
    pub added: Vec<String>,
    /// The accounts of the file already in the vault, as `issuer:name`
    /// (the site's address for SPSE accounts): left as they are, never
    /// doubled.
    pub already: Vec<String>,
}

/// Whether the accounts are safe in a backup, for the quiet line in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupState {
    /// No accounts: nothing to back up.
    NoAccounts,
    /// Accounts, and no backup of them was ever made here.
    Never,
    /// A backup was made at `at` (Unix seconds), and accounts changed since.
    Changed {
        /// When the last backup was made.
        at: u64,
    },
    /// The last backup, made at `at`, holds the accounts as they are.
    Current {
        /// When the last backup was made.
        at: u64,
    },
}

#[derive(Serialize, Deserialize)]
struct Mark {
    at: u64,
    digest: String,
}

/// The accounts of a backup's plaintext (docs/backup.md), checked as the
/// vault checks its own: `Err` ([`Error::BackupContent`]) names what is wrong.
pub fn read_backup_contents(plaintext: &[u8]) -> Result<Vec<StoredAccount>> {
    let contents: Contents = serde_json::from_slice(plaintext)
        .map_err(|e| Error::BackupContent(format!("content: {e}")))?;
    if contents.app != APP {
        return Err(Error::BackupContent(format!(
            "app: {:?} is not spse-auth",
            contents.app.chars().take(40).collect::<String>()
        )));
    }
    contents
        .accounts
        .into_iter()
        .map(|record| record.into_account().map_err(Error::BackupContent))
        .collect()
}

impl Vault {
    /// The plaintext of a backup of every account (docs/backup.md): each
    /// with its label, HOTP counter, site and device key, so codes and
    /// approvals carry on after a restore. Enrollments the site has not
    /// confirmed are left out: their key may be one the site never took.
    /// The caller seals it (spse-backup) and, once written, calls
    /// [`Vault::mark_backed_up`].
    pub fn backup_contents(&self) -> Zeroizing<Vec<u8>> {
        let contents = Contents {
            app: APP.to_owned(),
            made_at: now(),
            accounts: self
                .accounts()
                .iter()
                .filter(|a| !a.is_pending())
                .map(Record::of)
                .collect(),
        };
        let mut writer = WipingWriter(Zeroizing::new(Vec::with_capacity(
            512 * self.accounts().len() + 64,
        )));
        // Writing JSON to memory cannot fail.
        let _ = serde_json::to_writer(&mut writer, &contents);
        writer.0
    }

    /// Whether the vault holds `account` already (the same site and user
    /// ID, or the same issuer, name and secret), so a restore or an import
    /// skips it instead of doubling it.
    pub fn holds(&self, account: &Account, site: Option<&crate::Site>) -> bool {
        self.accounts().iter().any(|a| a.same_as(account, site))
    }

    /// Adds the accounts of a backup ([`read_backup_contents`]) that the
    /// vault does not hold, in one save: all of them or, on a failed save,
    /// none. Each keeps its id (unless taken), label, counter, site and
    /// device key, and goes to the end of the list in the backup's order.
    pub fn restore(&mut self, mut accounts: Vec<StoredAccount>) -> Result<Added> {
        accounts.sort_by_key(|a| a.order);
        let mut fresh = Vec::with_capacity(accounts.len());
        for mut account in accounts {
            if self.get(&account.id).is_some()
                || fresh.iter().any(|a: &StoredAccount| a.id == account.id)
            {
                account.id = self.new_id()?;
            }
            if let Some(site) = account.site.as_mut() {
                site.pending = None;
            }
            fresh.push(account);
        }
        self.change(|data| {
            let mut done = Added::default();
            for mut account in fresh {
                let held = data
                    .accounts
                    .iter()
                    .any(|a| a.same_as(&account.account, account.site.as_ref()));
                if held {
                    done.already.push(who(&account));
                    continue;
                }
                account.order = next_order(&data.accounts);
                done.added.push(account.id.clone());
                data.accounts.push(account);
            }
            Ok(done)
        })
    }

    /// Adds the accounts of another app's export (spse-backup's importers)
    /// that the vault does not hold, as codes-only accounts, in one save.
    pub fn import(&mut self, accounts: Vec<Account>) -> Result<Added> {
        let ids = accounts
            .iter()
            .map(|_| self.new_id())
            .collect::<Result<Vec<String>>>()?;
        let created_at = now();
        self.change(|data| {
            let mut done = Added::default();
            for (id, account) in ids.into_iter().zip(accounts) {
                let stored = StoredAccount {
                    id,
                    account,
                    site: None,
                    label: None,
                    order: next_order(&data.accounts),
                    created_at,
                };
                if data
                    .accounts
                    .iter()
                    .any(|a| a.same_as(&stored.account, None))
                {
                    done.already.push(who(&stored));
                    continue;
                }
                done.added.push(stored.id.clone());
                data.accounts.push(stored);
            }
            Ok(done)
        })
    }

    /// Whether the accounts changed since the last backup made from this
    /// data folder.
    pub fn backup_state(&self) -> BackupState {
        let backed_up = self.accounts().iter().any(|a| !a.is_pending());
        if !backed_up {
            return BackupState::NoAccounts;
        }
        let mark = files::read(&self.mark_path())
            .ok()
            .flatten()
            .and_then(|bytes| serde_json::from_slice::<Mark>(&bytes).ok());
        match mark {
            None => BackupState::Never,
            Some(mark) if mark.digest == self.digest() => BackupState::Current { at: mark.at },
            Some(mark) => BackupState::Changed { at: mark.at },
        }
    }

    /// Remembers that a backup of the accounts as they are now was written.
    pub fn mark_backed_up(&self) -> Result<()> {
        let mark = Mark {
            at: now(),
            digest: self.digest(),
        };
        let bytes = serde_json::to_vec(&mark).unwrap_or_default();
        let path = self.mark_path();
        files::write_file(&path, &bytes)
    }

    fn mark_path(&self) -> PathBuf {
        self.paths().dir.join(MARK_FILE)
    }

    /// SHA-256 over what a backup would hold, secrets left out: the ids,
    /// counters, labels, sites and device ids of the accounts.
    fn digest(&self) -> String {
        let mut parts: Vec<String> = self
            .accounts()
            .iter()
            .filter(|a| !a.is_pending())
            .map(|a| {
                let counter = match a.account.kind() {
                    Kind::Hotp { counter } => counter.to_string(),
                    _ => String::new(),
                };
                let site = a.site.as_ref().map_or(String::new(), |s| {
                    let device = s.device.as_ref().map_or("", |d| d.id.as_str());
                    format!("{}\u{1f}{device}", s.server)
                });
                format!(
                    "{}\u{1f}{counter}\u{1f}{}\u{1f}{site}",
                    a.id,
                    a.label.as_deref().unwrap_or("")
                )
            })
            .collect();
        parts.sort();
        let digest = ring::digest::digest(&ring::digest::SHA256, parts.join("\u{1e}").as_bytes());
        digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// `issuer:name`, the site's address standing for the issuer of an SPSE
/// account, just the name when there is neither.
fn who(stored: &StoredAccount) -> String {
    let issuer = match &stored.site {
        Some(site) => Some(site.server.as_str()),
        None => stored.account.issuer(),
    };
    match issuer {
        Some(issuer) => format!("{issuer}:{}", stored.account.name()),
        None => stored.account.name().to_owned(),
    }
}

fn next_order(accounts: &[StoredAccount]) -> u32 {
    accounts.iter().map(|a| a.order + 1).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_of_another_app_is_refused_naming_the_member() {
        let err = read_backup_contents(br#"{"app":"aegis","made_at":1,"accounts":[]}"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("backup: app: \"aegis\" is not spse-auth")
        );
    }

    #[test]
    fn a_record_with_a_broken_link_names_its_account() {
        let text = br#"{"app":"spse-auth","made_at":1,"accounts":[{"id":"a1","otpauth":"otpauth://totp/x?secret=1","site":null,"label":null,"order":0,"created_at":0}]}"#;
        let err = read_backup_contents(text).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("backup: account a1: secret")),
            "{err:?}"
        );
    }
}
