//! The vault: open (or create) it, read the accounts grouped by site, and
//! change them, each change a locked read-modify-write of the whole file.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ring::rand::{SecureRandom, SystemRandom};
use spse_otp::{Account, MAX_NAME_LEN};

use crate::error::{Error, Result};
use crate::files::{self, Current, Lock, Paths};
use crate::keystore::{Keystore, VaultKey};
use crate::records::{self, Site, StoredAccount};
use crate::sealed::{Unreadable, Unsealable, VaultFile};

/// Why the vault was opened from its backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryReason {
    /// `vault.json` was gone; only the backup was there.
    Missing,
    /// `vault.json` was not a readable vault file.
    Corrupt,
    /// `vault.json` failed its integrity check.
    Tampered,
}

/// The vault was opened from `vault.json.bak`: the UI must say so, since the
/// last change before the damage may be missing. The damaged file is kept
/// (moved to `vault.json.damaged-<ms>` at the next save), never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// What was wrong with `vault.json`.
    pub reason: RecoveryReason,
    /// The file that could not be used.
    pub damaged: PathBuf,
}

/// Accounts of one SPSE site (or the codes-only accounts), in list order:
/// how the app and the CLI show the list.
#[derive(Debug)]
pub struct Group<'a> {
    /// The site, or `None` for codes-only accounts.
    pub site: Option<&'a Site>,
    /// Its accounts, in the user's order.
    pub accounts: Vec<&'a StoredAccount>,
}

/// An open vault. Reads are from the snapshot taken at open (or the last
/// change); every change re-reads the file under the lock first, so changes
/// made meanwhile by another process are kept.
#[derive(Debug)]
pub struct Vault {
    paths: Paths,
    keystore: Keystore,
    key_id: String,
    key: VaultKey,
    accounts: Vec<StoredAccount>,
    recovery: Option<Recovery>,
    rng: SystemRandom,
}

/// A vault read from disk under the lock.
struct Loaded {
    key_id: String,
    key: VaultKey,
    accounts: Vec<StoredAccount>,
    current: Current,
    recovery: Option<Recovery>,
}

impl Vault {
    /// Opens the vault in `dir`, creating it (and its key) on first use.
    ///
    /// Refuses rather than guesses: a vault file whose key is missing or
    /// wrong, or that fails its integrity check with no good backup, is an
    /// error and stays untouched; it is never replaced by an empty vault.
    pub fn open(dir: &Path, keystore: Keystore) -> Result<Vault> {
        let paths = Paths::new(dir);
        let rng = SystemRandom::new();
        let _lock = Lock::acquire(&paths)?;
        if let Some(loaded) = load(&paths, &keystore, None)? {
            return Ok(Vault {
                paths,
                keystore,
                key_id: loaded.key_id,
                key: loaded.key,
                accounts: loaded.accounts,
                recovery: loaded.recovery,
                rng,
            });
        }
        let key_id = format!("vault-{}", random_hex(&rng)?);
        let key = VaultKey::generate(&rng)?;
        keystore.create(&key_id, &key)?;
        let vault = Vault {
            paths,
            keystore,
            key_id,
            key,
            accounts: Vec::new(),
            recovery: None,
            rng,
        };
        vault.write(&[], Current::Absent)?;
        Ok(vault)
    }

    /// The vault's files.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The keystore entry name of this vault's key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Set when the vault was opened from its backup; see [`Recovery`].
    pub fn recovery(&self) -> Option<&Recovery> {
        self.recovery.as_ref()
    }

    /// Every account, in list order.
    pub fn accounts(&self) -> &[StoredAccount] {
        &self.accounts
    }

    /// The account with this id.
    pub fn get(&self, id: &str) -> Option<&StoredAccount> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The accounts grouped per SPSE site, groups in the order of their first
    /// account, codes-only accounts in one group of their own.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for account in &self.accounts {
            let server = account.site.as_ref().map(|s| s.server.as_str());
            match groups
                .iter_mut()
                .find(|g| g.site.map(|s| s.server.as_str()) == server)
            {
                Some(group) => group.accounts.push(account),
                None => groups.push(Group {
                    site: account.site.as_ref(),
                    accounts: vec![account],
                }),
            }
        }
        groups
    }

    /// Re-reads the vault, to see changes another process made.
    pub fn reload(&mut self) -> Result<()> {
        let _lock = Lock::acquire(&self.paths)?;
        if let Some(loaded) = load(&self.paths, &self.keystore, Some((&self.key_id, &self.key)))? {
            self.accept(loaded);
        }
        Ok(())
    }

    /// Adds an account and returns its id. The same account again (same site
    /// and user ID, e.g. re-enrolled after "Reset TOTP") is refused with
    /// [`Error::AlreadyExists`] unless `replace` says the user confirmed; a
    /// replacement takes the old one's place in the list.
    pub fn add(&mut self, account: Account, site: Option<Site>, replace: bool) -> Result<String> {
        let id = self.new_id()?;
        let created_at = now();
        self.change(|accounts| {
            let existing = accounts
                .iter()
                .position(|a| a.same_as(&account, site.as_ref()));
            let order = match existing {
                Some(index) if !replace => {
                    return Err(Error::AlreadyExists {
                        id: accounts[index].id.clone(),
                        what: accounts[index].describe(),
                    });
                }
                Some(index) => accounts.remove(index).order,
                None => accounts.iter().map(|a| a.order + 1).max().unwrap_or(0),
            };
            accounts.push(StoredAccount {
                id: id.clone(),
                account,
                site,
                label: None,
                order,
                created_at,
            });
            Ok(id.clone())
        })
    }

    /// Removes an account and returns it. Its secret is gone from the vault
    /// at once (and from the backup at the next change).
    pub fn remove(&mut self, id: &str) -> Result<StoredAccount> {
        self.change(|accounts| {
            let index = find(accounts, id)?;
            Ok(accounts.remove(index))
        })
    }

    /// Sets the name shown for an account (`None` goes back to issuer and
    /// account name). The account name itself, the SPSE user ID, never changes.
    pub fn rename(&mut self, id: &str, label: Option<&str>) -> Result<()> {
        let label = match label.map(str::trim) {
            None => None,
            Some("") => return Err(Error::BadName("must not be empty")),
            Some(l) if l.len() > MAX_NAME_LEN => return Err(Error::BadName("too long")),
            Some(l) if l.chars().any(char::is_control) => {
                return Err(Error::BadName("must not contain control characters"));
            }
            Some(l) => Some(l.to_owned()),
        };
        self.change(|accounts| {
            let index = find(accounts, id)?;
            accounts[index].label = label;
            Ok(())
        })
    }

    /// Puts the accounts in the order of `ids`, which must name each once.
    pub fn reorder(&mut self, ids: &[&str]) -> Result<()> {
        self.change(|accounts| {
            let mut sorted: Vec<&str> = ids.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() != ids.len() || ids.len() != accounts.len() {
                return Err(Error::BadOrder);
            }
            for account in accounts.iter_mut() {
                let position = ids
                    .iter()
                    .position(|id| *id == account.id)
                    .ok_or(Error::BadOrder)?;
                account.order = u32::try_from(position).map_err(|_| Error::BadOrder)?;
            }
            Ok(())
        })
    }

    /// A locked read-modify-write: re-read the file, apply `edit`, save.
    fn change<T>(&mut self, edit: impl FnOnce(&mut Vec<StoredAccount>) -> Result<T>) -> Result<T> {
        let _lock = Lock::acquire(&self.paths)?;
        let (mut accounts, current) =
            match load(&self.paths, &self.keystore, Some((&self.key_id, &self.key)))? {
                Some(loaded) => {
                    let current = loaded.current;
                    self.accept(loaded);
                    (self.accounts.clone(), current)
                }
                // Deleted behind our back: what we hold is the best there is.
                None => (self.accounts.clone(), Current::Absent),
            };
        let out = edit(&mut accounts)?;
        accounts.sort_by_key(|a| a.order);
        for (position, account) in accounts.iter_mut().enumerate() {
            account.order = u32::try_from(position).unwrap_or(u32::MAX);
        }
        self.write(&accounts, current)?;
        self.accounts = accounts;
        self.recovery = None;
        Ok(out)
    }

    fn accept(&mut self, loaded: Loaded) {
        self.key_id = loaded.key_id;
        self.key = loaded.key;
        self.accounts = loaded.accounts;
        self.recovery = loaded.recovery;
    }

    fn write(&self, accounts: &[StoredAccount], current: Current) -> Result<()> {
        let plaintext = records::serialize(accounts);
        let file =
            VaultFile::seal(&self.key, &self.key_id, &plaintext, &self.rng).map_err(|_| {
                Error::io(
                    "seal",
                    &self.paths.current,
                    std::io::Error::other("AES-GCM failed"),
                )
            })?;
        files::replace(&self.paths, &file.to_bytes(), current)
    }

    fn new_id(&self) -> Result<String> {
        loop {
            let id = format!("a{}", random_hex(&self.rng)?);
            if self.get(&id).is_none() {
                return Ok(id);
            }
        }
    }
}

fn find(accounts: &[StoredAccount], id: &str) -> Result<usize> {
    accounts
        .iter()
        .position(|a| a.id == id)
        .ok_or_else(|| Error::NotFound { id: id.to_owned() })
}

/// Reads the vault: `vault.json`, or the backup when `vault.json` is gone,
/// corrupt or tampered and the backup is good. `None`: no vault at all.
fn load(
    paths: &Paths,
    keystore: &Keystore,
    known: Option<(&str, &VaultKey)>,
) -> Result<Option<Loaded>> {
    let Some(bytes) = files::read(&paths.current)? else {
        return match files::read(&paths.backup)? {
            Some(backup) => {
                let mut loaded = decode(&backup, &paths.backup, keystore, known)?;
                loaded.current = Current::Absent;
                loaded.recovery = Some(Recovery {
                    reason: RecoveryReason::Missing,
                    damaged: paths.current.clone(),
                });
                Ok(Some(loaded))
            }
            None => Ok(None),
        };
    };
    let error = match decode(&bytes, &paths.current, keystore, known) {
        Ok(loaded) => return Ok(Some(loaded)),
        Err(error) => error,
    };
    let reason = match error {
        Error::Corrupt { .. } => RecoveryReason::Corrupt,
        Error::Tampered { .. } => RecoveryReason::Tampered,
        other => return Err(other),
    };
    match files::read(&paths.backup)? {
        Some(backup) => match decode(&backup, &paths.backup, keystore, known) {
            Ok(mut loaded) => {
                loaded.current = Current::MoveAside;
                loaded.recovery = Some(Recovery {
                    reason,
                    damaged: paths.current.clone(),
                });
                Ok(Some(loaded))
            }
            Err(_) => Err(error),
        },
        None => Err(error),
    }
}

/// Parses, unlocks and opens one vault file.
fn decode(
    bytes: &[u8],
    path: &Path,
    keystore: &Keystore,
    known: Option<(&str, &VaultKey)>,
) -> Result<Loaded> {
    let file = VaultFile::parse(bytes).map_err(|e| match e {
        Unreadable::Corrupt(reason) => Error::Corrupt {
            path: path.to_owned(),
            reason,
        },
        Unreadable::TooNew(version) => Error::TooNew {
            path: path.to_owned(),
            version,
        },
    })?;
    let key = match known {
        Some((id, key)) if id == file.key_id => key.clone(),
        _ => keystore.load(&file.key_id)?,
    };
    let plaintext = file.open(&key).map_err(|e| match e {
        Unsealable::WrongKey => Error::KeyWrong {
            key_id: file.key_id.clone(),
        },
        Unsealable::Tampered => Error::Tampered {
            path: path.to_owned(),
        },
    })?;
    let mut accounts = records::deserialize(&plaintext).map_err(|reason| Error::Corrupt {
        path: path.to_owned(),
        reason,
    })?;
    accounts.sort_by_key(|a| a.order);
    Ok(Loaded {
        key_id: file.key_id,
        key,
        accounts,
        current: Current::KeepAsBackup,
        recovery: None,
    })
}

fn random_hex(rng: &SystemRandom) -> Result<String> {
    let mut bytes = [0u8; 8];
    rng.fill(&mut bytes)
        .map_err(|_| Error::KeystoreUnavailable {
            hint: "the system random generator failed",
            detail: "getrandom".into(),
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::{FAIL_AT, Step};
    use spse_otp::Payload;

    fn account(name: &str) -> Account {
        let uri = format!("otpauth://totp/ACME:{name}?secret=JBSWY3DPEHPK3PXP");
        Payload::parse(&uri).unwrap().accounts()[0].clone()
    }

    fn keystore() -> Keystore {
        Keystore::new(keyring_core::mock::Store::new().unwrap())
    }

    /// A full disk (or a read-only folder) at any step of a save leaves the
    /// old vault whole, reports an I/O error, and leaves no temporary file.
    #[test]
    fn a_failure_at_any_save_step_keeps_the_old_vault() {
        for step in [
            Step::WriteTemp,
            Step::SyncTemp,
            Step::LinkBackup,
            Step::RenameBackup,
            Step::Rename,
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().to_path_buf();
            let keystore = keystore();
            let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
            vault.add(account("first"), None, false).unwrap();
            let before = std::fs::read(&vault.paths().current).unwrap();

            FAIL_AT.with(|f| f.set(Some(step)));
            let error = vault.add(account("second"), None, false).unwrap_err();
            FAIL_AT.with(|f| f.set(None));

            assert!(matches!(error, Error::Io { .. }), "{step:?}: {error}");
            assert!(error.to_string().contains("injected fault"), "{error}");
            assert_eq!(
                std::fs::read(&vault.paths().current).unwrap(),
                before,
                "{step:?}"
            );
            assert!(!dir.join("vault.json.tmp").exists(), "{step:?}");
            assert!(!dir.join("vault.json.bak.tmp").exists(), "{step:?}");
            let reopened = Vault::open(&dir, keystore).unwrap();
            assert_eq!(reopened.accounts().len(), 1, "{step:?}");
            assert!(reopened.recovery().is_none());
        }
    }

    /// A failed fsync of the folder comes after the rename: the new vault is
    /// in place, and the error still says the save may not be durable.
    #[test]
    fn a_failed_folder_sync_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let mut vault = Vault::open(&dir, keystore()).unwrap();
        FAIL_AT.with(|f| f.set(Some(Step::SyncDir)));
        let error = vault.add(account("x"), None, false).unwrap_err();
        FAIL_AT.with(|f| f.set(None));
        assert!(error.to_string().starts_with("could not sync"), "{error}");
    }

    /// Moving a damaged file aside can fail too: then nothing changes.
    #[test]
    fn a_failed_move_aside_keeps_the_damaged_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let keystore = keystore();
        let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
        vault.add(account("one"), None, false).unwrap();
        vault.add(account("two"), None, false).unwrap();
        std::fs::write(&vault.paths().current, b"{ broken").unwrap();

        let mut recovered = Vault::open(&dir, keystore).unwrap();
        assert_eq!(
            recovered.recovery().unwrap().reason,
            RecoveryReason::Corrupt
        );
        FAIL_AT.with(|f| f.set(Some(Step::MoveAside)));
        assert!(recovered.add(account("three"), None, false).is_err());
        FAIL_AT.with(|f| f.set(None));
        assert_eq!(std::fs::read(dir.join("vault.json")).unwrap(), b"{ broken");
    }
}
