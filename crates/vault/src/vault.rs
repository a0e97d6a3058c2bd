//! The vault: open (or create) it, read the accounts grouped by site, and
//! change them, each change a locked read-modify-write of the whole file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ring::rand::{SecureRandom, SystemRandom};
use spse_otp::{Account, MAX_NAME_LEN};

use crate::error::{Error, Result};
use crate::files::{self, Current, Lock, Paths};
use crate::keystore::{Keystore, VaultKey};
use crate::records::{self, ClockOffset, Data, PendingEnrollment, Site, StoredAccount};
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

impl std::fmt::Display for RecoveryReason {
    /// What happened to `vault.json`, in words a person reads in a warning.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecoveryReason::Missing => "missing",
            RecoveryReason::Corrupt => "not a readable vault file any more",
            RecoveryReason::Tampered => "altered or damaged (it failed its integrity check)",
        })
    }
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

/// An enrollment this process is carrying out: held from
/// [`Vault::begin_enrollment`] (or taken over by
/// [`Vault::unattended_enrollments`]) until [`Vault::finish_enrollment`] or
/// [`Vault::abandon_enrollment`]. While it is held, no other process (the
/// app beside the CLI) takes the pending account for one left by a crash.
#[derive(Debug)]
pub struct Enrolling {
    id: String,
    path: PathBuf,
    _file: std::fs::File,
}

impl Enrolling {
    /// The pending account's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for Enrolling {
    fn drop(&mut self) {
        // Only the holder ever deletes it; the lock goes with the handle.
        let _ = std::fs::remove_file(&self.path);
    }
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
    data: Data,
    recovery: Option<Recovery>,
    rng: SystemRandom,
}

/// A vault read from disk under the lock.
struct Loaded {
    key_id: String,
    key: VaultKey,
    data: Data,
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
                data: loaded.data,
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
            data: Data::default(),
            recovery: None,
            rng,
        };
        vault.write(&vault.data, Current::Absent)?;
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

    /// Every account, in list order (pending enrollments included: see
    /// [`StoredAccount::is_pending`]).
    pub fn accounts(&self) -> &[StoredAccount] {
        &self.data.accounts
    }

    /// The account with this id.
    pub fn get(&self, id: &str) -> Option<&StoredAccount> {
        self.data.accounts.iter().find(|a| a.id == id)
    }

    /// The accounts grouped per SPSE site, groups in the order of their first
    /// account, codes-only accounts in one group of their own.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for account in &self.data.accounts {
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

    /// The clock offset last measured for each site (by base URL).
    pub fn clocks(&self) -> &BTreeMap<String, ClockOffset> {
        &self.data.clocks
    }

    /// Re-reads the vault, to see changes another process made. True when
    /// anything changed.
    pub fn reload(&mut self) -> Result<bool> {
        let _lock = Lock::acquire(&self.paths)?;
        match load(&self.paths, &self.keystore, Some((&self.key_id, &self.key)))? {
            Some(loaded) => {
                let changed = loaded.data != self.data;
                self.accept(loaded);
                Ok(changed)
            }
            None => Ok(false),
        }
    }

    /// Adds a codes-only account (or an SPSE account stored without
    /// enrolling) and returns its id. The same account again (same site and
    /// user ID) is refused with [`Error::AlreadyExists`] unless `replace`
    /// says the user confirmed; a replacement takes the old one's place in
    /// the list and keeps its label. SPSE accounts that enroll go through
    /// [`Vault::begin_enrollment`] instead.
    pub fn add(&mut self, account: Account, site: Option<Site>, replace: bool) -> Result<String> {
        let id = self.new_id()?;
        let created_at = now();
        self.change(|data| place(&mut data.accounts, &id, account, site, replace, created_at))?;
        Ok(id)
    }

    /// Adds several codes-only accounts (an `otpauth-migration` export) in
    /// one save: all of them or, on any refusal, none. Each replacement
    /// (`replace`) keeps the old account's place and label, as [`Vault::add`].
    pub fn add_all(&mut self, accounts: Vec<Account>, replace: bool) -> Result<Vec<String>> {
        let ids = accounts
            .iter()
            .map(|_| self.new_id())
            .collect::<Result<Vec<String>>>()?;
        let created_at = now();
        self.change(|data| {
            for (id, account) in ids.iter().zip(accounts) {
                place(&mut data.accounts, id, account, None, replace, created_at)?;
            }
            Ok(())
        })?;
        Ok(ids)
    }

    /// Stores an SPSE account and its device key *before* the site is told
    /// about them, marked pending, and returns the held enrollment. Then the
    /// caller enrolls, and calls [`Vault::finish_enrollment`] (or
    /// [`Vault::abandon_enrollment`] when the site refused).
    ///
    /// An enrolled account for the same site and user ID is kept until the
    /// new one is confirmed, and needs `replace` (the user confirmed); an
    /// earlier pending enrollment of the same account that no process is
    /// carrying out any more is superseded.
    pub fn begin_enrollment(
        &mut self,
        account: Account,
        mut site: Site,
        replace: bool,
    ) -> Result<Enrolling> {
        let id = self.new_id()?;
        let created_at = now();
        let started_at = now_ms();
        private_dir_for(&self.paths)?;
        let (file, path) = files::lock_enrollment(&self.paths.dir, &id)?.ok_or_else(|| {
            Error::io(
                "lock",
                files::enrollment_lock_path(&self.paths.dir, &id),
                std::io::Error::from(std::io::ErrorKind::WouldBlock),
            )
        })?;
        let enrolling = Enrolling {
            id: id.clone(),
            path,
            _file: file,
        };
        let dir = self.paths.dir.clone();
        self.change(|data| {
            let accounts = &mut data.accounts;
            // A superseded enrollment is dropped only when nobody carries it out.
            let mut held = Vec::new();
            accounts.retain(|a| {
                if !(a.is_pending() && a.same_as(&account, Some(&site))) {
                    return true;
                }
                match files::lock_enrollment(&dir, &a.id) {
                    Ok(Some(lock)) => {
                        held.push(lock);
                        false
                    }
                    _ => true,
                }
            });
            let replaces = match accounts.iter().find(|a| a.same_as(&account, Some(&site))) {
                Some(old) if !replace => {
                    return Err(Error::AlreadyExists {
                        id: old.id.clone(),
                        what: old.describe(),
                    });
                }
                Some(old) => Some(old.id.clone()),
                None => None,
            };
            site.pending = Some(PendingEnrollment {
                started_at,
                replaces,
            });
            let order = next_order(accounts);
            accounts.push(StoredAccount {
                id: id.clone(),
                account,
                site: Some(site),
                label: None,
                order,
                created_at,
            });
            for (_, path) in held {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        })?;
        Ok(enrolling)
    }

    /// Pending enrollments no process is carrying out (left by a crash, a
    /// killed process or a failed save), each now held by this one to
    /// finish or roll back. Lock files left without an account are removed.
    pub fn unattended_enrollments(&mut self) -> Result<Vec<(StoredAccount, Enrolling)>> {
        self.reload()?;
        let mut out = Vec::new();
        for stored in self.data.accounts.iter().filter(|a| a.is_pending()) {
            if let Some((file, path)) = files::lock_enrollment(&self.paths.dir, &stored.id)? {
                out.push((
                    stored.clone(),
                    Enrolling {
                        id: stored.id.clone(),
                        path,
                        _file: file,
                    },
                ));
            }
        }
        for id in files::enrollment_lock_ids(&self.paths.dir) {
            if self.get(&id).is_none_or(|a| !a.is_pending())
                && let Ok(Some((_, path))) = files::lock_enrollment(&self.paths.dir, &id)
            {
                let _ = std::fs::remove_file(path);
            }
        }
        // Taken over after the re-read: one finished meanwhile is not pending.
        self.reload()?;
        out.retain(|(stored, _)| self.get(&stored.id).is_some_and(StoredAccount::is_pending));
        Ok(out)
    }

    /// The site confirmed the enrollment: the account is no longer pending,
    /// takes the site's name, and replaces the account it was meant to
    /// (taking its place in the list and its label).
    pub fn finish_enrollment(
        &mut self,
        enrolling: Enrolling,
        site_name: Option<String>,
    ) -> Result<()> {
        let id = enrolling.id.as_str();
        self.change(|data| {
            let accounts = &mut data.accounts;
            let index = find(accounts, id)?;
            let Some(site) = accounts[index].site.as_mut() else {
                return Err(Error::NotPending { id: id.to_owned() });
            };
            let Some(pending) = site.pending.take() else {
                return Err(Error::NotPending { id: id.to_owned() });
            };
            if site_name.is_some() {
                site.name = site_name;
            }
            if let Some(old) = pending.replaces
                && let Ok(old_index) = find(accounts, &old)
            {
                let old = accounts.remove(old_index);
                let index = find(accounts, id)?;
                accounts[index].order = old.order;
                accounts[index].label = old.label;
            }
            Ok(())
        })
    }

    /// The site refused (or never saw) the enrollment: the pending account
    /// and its key are removed; the account it would have replaced stays.
    pub fn abandon_enrollment(&mut self, enrolling: Enrolling) -> Result<StoredAccount> {
        let id = enrolling.id.as_str();
        self.change(|data| {
            let index = find(&data.accounts, id)?;
            if !data.accounts[index].is_pending() {
                return Err(Error::NotPending { id: id.to_owned() });
            }
            Ok(data.accounts.remove(index))
        })
    }

    /// Removes an account and returns it. Its secret is gone from the vault
    /// and from its backup at once (the backup is rewritten too); only a
    /// damaged file kept aside earlier may still hold it (docs/vault.md).
    pub fn remove(&mut self, id: &str) -> Result<StoredAccount> {
        let removed = self.change(|data| {
            let index = find(&data.accounts, id)?;
            Ok(data.accounts.remove(index))
        })?;
        let file = self.seal(&self.data)?;
        files::overwrite_backup(&self.paths, &file)?;
        Ok(removed)
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
        self.change(|data| {
            let index = find(&data.accounts, id)?;
            data.accounts[index].label = label;
            Ok(())
        })
    }

    /// Moves an HOTP account's counter one step on, in place (its id, label,
    /// order and site stay), and returns the new counter; `None` for a TOTP
    /// account, which has no counter and is left as it is.
    pub fn advance_hotp(&mut self, id: &str) -> Result<Option<u64>> {
        self.change(|data| {
            let index = find(&data.accounts, id)?;
            let stored = &mut data.accounts[index];
            let Some(next) = stored.account.with_next_counter() else {
                return Ok(None);
            };
            let counter = match next.kind() {
                spse_otp::Kind::Hotp { counter } => counter,
                spse_otp::Kind::Totp { .. } | spse_otp::Kind::Steam => return Ok(None),
            };
            stored.account = next;
            Ok(Some(counter))
        })
    }

    /// Puts the accounts in the order of `ids`, which must name each once.
    pub fn reorder(&mut self, ids: &[&str]) -> Result<()> {
        self.change(|data| {
            let accounts = &mut data.accounts;
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

    /// Records sites' clock offsets (by base URL), replacing what was known
    /// for those sites.
    pub fn set_clocks(&mut self, clocks: &BTreeMap<String, ClockOffset>) -> Result<()> {
        self.change(|data| {
            data.clocks
                .extend(clocks.iter().map(|(site, clock)| (site.clone(), *clock)));
            Ok(())
        })
    }

    /// A locked read-modify-write: re-read the file, apply `edit`, save.
    pub(crate) fn change<T>(&mut self, edit: impl FnOnce(&mut Data) -> Result<T>) -> Result<T> {
        let _lock = Lock::acquire(&self.paths)?;
        let current = match load(&self.paths, &self.keystore, Some((&self.key_id, &self.key)))? {
            Some(loaded) => {
                let current = loaded.current;
                self.accept(loaded);
                current
            }
            // Deleted behind our back: what we hold is the best there is.
            None => Current::Absent,
        };
        let mut data = self.data.clone();
        let out = edit(&mut data)?;
        data.accounts.sort_by_key(|a| a.order);
        for (position, account) in data.accounts.iter_mut().enumerate() {
            account.order = u32::try_from(position).unwrap_or(u32::MAX);
        }
        // Clocks of sites no account uses any more are forgotten.
        let servers: Vec<&str> = data
            .accounts
            .iter()
            .filter_map(|a| a.site.as_ref().map(|s| s.server.as_str()))
            .collect();
        data.clocks
            .retain(|server, _| servers.contains(&server.as_str()));
        self.write(&data, current)?;
        self.data = data;
        self.recovery = None;
        Ok(out)
    }

    fn accept(&mut self, loaded: Loaded) {
        self.key_id = loaded.key_id;
        self.key = loaded.key;
        self.data = loaded.data;
        self.recovery = loaded.recovery;
    }

    fn seal(&self, data: &Data) -> Result<Vec<u8>> {
        let plaintext = records::serialize(data);
        VaultFile::seal(&self.key, &self.key_id, &plaintext, &self.rng)
            .map(|file| file.to_bytes())
            .map_err(|_| {
                Error::io(
                    "seal",
                    &self.paths.current,
                    std::io::Error::other("AES-GCM failed"),
                )
            })
    }

    fn write(&self, data: &Data, current: Current) -> Result<()> {
        files::replace(&self.paths, &self.seal(data)?, current)
    }

    pub(crate) fn new_id(&self) -> Result<String> {
        loop {
            let id = format!("a{}", random_hex(&self.rng)?);
            if self.get(&id).is_none() {
                return Ok(id);
            }
        }
    }
}

fn private_dir_for(paths: &Paths) -> Result<()> {
    Lock::acquire(paths).map(drop)
}

/// Puts a new account into `accounts`: refused when it is already there
/// unless `replace`, which takes the old one's place in the list and its
/// label (a user's name for an account outlives a re-import).
fn place(
    accounts: &mut Vec<StoredAccount>,
    id: &str,
    account: Account,
    site: Option<Site>,
    replace: bool,
    created_at: u64,
) -> Result<()> {
    let existing = accounts
        .iter()
        .position(|a| a.same_as(&account, site.as_ref()));
    let (order, label) = match existing {
        Some(index) if !replace => {
            return Err(Error::AlreadyExists {
                id: accounts[index].id.clone(),
                what: accounts[index].describe(),
            });
        }
        Some(index) => {
            let old = accounts.remove(index);
            (old.order, old.label)
        }
        None => (next_order(accounts), None),
    };
    accounts.push(StoredAccount {
        id: id.to_owned(),
        account,
        site,
        label,
        order,
        created_at,
    });
    Ok(())
}

fn next_order(accounts: &[StoredAccount]) -> u32 {
    accounts.iter().map(|a| a.order + 1).max().unwrap_or(0)
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
    let mut data = records::deserialize(&plaintext).map_err(|reason| Error::Corrupt {
        path: path.to_owned(),
        reason,
    })?;
    data.accounts.sort_by_key(|a| a.order);
    Ok(Loaded {
        key_id: file.key_id,
        key,
        data,
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

pub(crate) fn now() -> u64 {
    now_ms() / 1000
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
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

    fn failing<T>(steps: &[Step], run: impl FnOnce() -> T) -> T {
        FAIL_AT.with(|f| *f.borrow_mut() = steps.to_vec());
        let out = run();
        FAIL_AT.with(|f| f.borrow_mut().clear());
        out
    }

    /// A full disk (or a read-only folder) at any step of a save leaves the
    /// old vault whole, reports an I/O error, and leaves no temporary file.
    #[test]
    fn a_failure_at_any_save_step_keeps_the_old_vault() {
        for steps in [
            &[Step::WriteTemp][..],
            &[Step::SyncTemp],
            &[Step::LinkBackup, Step::CopyBackup],
            &[Step::RenameBackup],
            &[Step::Rename],
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().to_path_buf();
            let keystore = keystore();
            let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
            vault.add(account("first"), None, false).unwrap();
            let before = std::fs::read(&vault.paths().current).unwrap();

            let error = failing(steps, || vault.add(account("second"), None, false)).unwrap_err();

            assert!(matches!(error, Error::Io { .. }), "{steps:?}: {error}");
            assert!(error.to_string().contains("injected fault"), "{error}");
            assert_eq!(
                std::fs::read(&vault.paths().current).unwrap(),
                before,
                "{steps:?}"
            );
            assert!(!dir.join("vault.json.tmp").exists(), "{steps:?}");
            assert!(!dir.join("vault.json.bak.tmp").exists(), "{steps:?}");
            let reopened = Vault::open(&dir, keystore).unwrap();
            assert_eq!(reopened.accounts().len(), 1, "{steps:?}");
            assert!(reopened.recovery().is_none());
        }
    }

    /// FAT and exFAT refuse hard links with EPERM, not "unsupported": the
    /// save copies the backup instead and succeeds (review finding 5).
    #[test]
    fn a_refused_hard_link_falls_back_to_a_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let mut vault = Vault::open(&dir, keystore()).unwrap();
        vault.add(account("first"), None, false).unwrap();
        let before = std::fs::read(&vault.paths().current).unwrap();

        failing(&[Step::LinkBackup], || {
            vault.add(account("second"), None, false)
        })
        .unwrap();

        assert_eq!(std::fs::read(&vault.paths().backup).unwrap(), before);
        assert!(!dir.join("vault.json.bak.tmp").exists());
        assert_eq!(vault.accounts().len(), 2);
    }

    /// A failed fsync of the folder comes after the rename: the new vault is
    /// in place, and the error still says the save may not be durable.
    #[test]
    fn a_failed_folder_sync_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let keystore = keystore();
        let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
        let error = failing(&[Step::SyncDir], || vault.add(account("x"), None, false)).unwrap_err();
        assert!(matches!(error, Error::NotDurable { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "the change was saved, but {} could not be synced to disk (injected fault); it \
                 may be lost if the power fails now",
                dir.display()
            )
        );
        let reopened = Vault::open(&dir, keystore).unwrap();
        assert_eq!(reopened.accounts().len(), 1, "the new vault is in place");
        assert_eq!(reopened.accounts()[0].account.name(), "x");
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
        assert!(
            failing(&[Step::MoveAside], || recovered.add(
                account("three"),
                None,
                false
            ))
            .is_err()
        );
        assert_eq!(std::fs::read(dir.join("vault.json")).unwrap(), b"{ broken");
    }

    /// Removing an account rewrites the backup too, so the removed secret
    /// is not left in `vault.json.bak` until the next change (finding 10).
    #[test]
    fn remove_rewrites_the_backup_without_the_account() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let keystore = keystore();
        let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
        let keep = vault.add(account("keep"), None, false).unwrap();
        let gone = vault.add(account("gone"), None, false).unwrap();
        vault.remove(&gone).unwrap();

        for file in [&vault.paths().current, &vault.paths().backup] {
            let bytes = std::fs::read(file).unwrap();
            let sealed = VaultFile::parse(&bytes).unwrap();
            let data = records::deserialize(&sealed.open(&vault.key).unwrap()).unwrap();
            let ids: Vec<&str> = data.accounts.iter().map(|a| a.id.as_str()).collect();
            assert_eq!(ids, [keep.as_str()], "{}", file.display());
        }
        // The backup still opens on its own.
        std::fs::remove_file(&vault.paths().current).unwrap();
        let reopened = Vault::open(&dir, keystore).unwrap();
        assert_eq!(reopened.accounts().len(), 1);
    }

    /// The folder is 0700 and every file 0600 from the moment it exists
    /// (finding 9); a folder an earlier build left open is narrowed.
    #[cfg(unix)]
    #[test]
    fn the_folder_and_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let mut vault = Vault::open(&dir, keystore()).unwrap();
        vault.add(account("one"), None, false).unwrap();
        failing(&[Step::LinkBackup], || {
            vault.add(account("two"), None, false)
        })
        .unwrap();
        assert_eq!(mode(&dir), 0o700);
        for name in ["vault.json", "vault.json.bak", "vault.lock"] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        Vault::open(&dir, keystore()).unwrap_err();
        assert_eq!(mode(&dir), 0o700);
    }

    fn site(server: &str) -> Site {
        Site::new(server, false)
    }

    /// The files a save does not write itself are private too (finding 9):
    /// an enrollment's lock file, the backup and the damaged file moved
    /// aside, even when `vault.json` came with a wider mode (restored by
    /// hand, written by a sync tool).
    #[cfg(unix)]
    #[test]
    fn enrollment_locks_and_damaged_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let widen = |p: &Path| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).unwrap();
        };
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let keystore = keystore();
        let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
        let enrolling = vault
            .begin_enrollment(account("PPK2"), site("https://a.example"), false)
            .unwrap();
        let lock = files::enrollment_lock_path(&dir, enrolling.id());
        assert_eq!(mode(&lock), 0o600, "{}", lock.display());
        vault.finish_enrollment(enrolling, None).unwrap();
        assert!(!lock.exists());

        let current = dir.join("vault.json");
        widen(&current);
        vault.add(account("two"), None, false).unwrap();
        assert_eq!(mode(&dir.join("vault.json.bak")), 0o600, "linked backup");
        assert_eq!(mode(&current), 0o600);

        std::fs::write(&current, b"{ broken").unwrap();
        widen(&current);
        let mut recovered = Vault::open(&dir, keystore).unwrap();
        assert_eq!(
            recovered.recovery().unwrap().reason,
            RecoveryReason::Corrupt
        );
        recovered.add(account("three"), None, false).unwrap();
        let aside: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("vault.json.damaged-"))
            })
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(std::fs::read(&aside[0]).unwrap(), b"{ broken");
        assert_eq!(mode(&aside[0]), 0o600, "{}", aside[0].display());
    }

    /// Finding 1, in the vault: the site enrolled the account but the save
    /// marking it done fails. The account stays on disk, pending, with its
    /// device key; once its holder is gone, the next start takes it over
    /// and finishes it.
    #[test]
    fn a_failed_finish_leaves_the_enrollment_pending_for_the_next_start() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let keystore = keystore();
        let mut vault = Vault::open(&dir, keystore.clone()).unwrap();
        let mut site = site("https://a.example");
        site.device = Some(crate::DeviceIdentity {
            id: "device".into(),
            key: zeroize::Zeroizing::new(vec![7; 32]),
        });
        let enrolling = vault
            .begin_enrollment(account("PPK2"), site, false)
            .unwrap();
        let id = enrolling.id().to_owned();

        let error = failing(&[Step::Rename], || {
            vault.finish_enrollment(enrolling, Some("LPSE".into()))
        })
        .unwrap_err();
        assert!(matches!(error, Error::Io { .. }), "{error:?}");
        assert!(error.to_string().contains("injected fault"), "{error}");

        let mut next_start = Vault::open(&dir, keystore).unwrap();
        let stored = next_start.get(&id).unwrap();
        assert!(stored.is_pending(), "still pending on disk");
        assert!(stored.site.as_ref().unwrap().device.is_some(), "key kept");
        let taken = next_start.unattended_enrollments().unwrap();
        assert_eq!(taken.len(), 1, "nobody holds it any more");
        let (_, enrolling) = taken.into_iter().next().unwrap();
        next_start.finish_enrollment(enrolling, None).unwrap();
        assert!(!next_start.get(&id).unwrap().is_pending());
        assert!(files::enrollment_lock_ids(&dir).is_empty());
    }

    /// An enrollment is stored before it is sent: pending, then confirmed
    /// (replacing the old account in place), or abandoned (the old one kept).
    #[test]
    fn enrollments_are_stored_pending_then_finished_or_abandoned() {
        let tmp = tempfile::tempdir().unwrap();
        let mut vault = Vault::open(tmp.path(), keystore()).unwrap();
        let other = vault.add(account("other"), None, false).unwrap();
        let first = vault
            .begin_enrollment(account("PPK2"), site("https://lpse.example.go.id"), false)
            .unwrap();
        let first_id = first.id().to_owned();
        assert!(vault.get(&first_id).unwrap().is_pending());
        vault
            .finish_enrollment(first, Some("LPSE Contoh".into()))
            .unwrap();
        let stored = vault.get(&first_id).unwrap();
        assert!(!stored.is_pending());
        assert_eq!(
            stored.site.as_ref().unwrap().name.as_deref(),
            Some("LPSE Contoh")
        );
        vault.rename(&first_id, Some("Kantor")).unwrap();

        // Re-enrolling the same account needs confirming...
        assert!(matches!(
            vault.begin_enrollment(account("PPK2"), site("https://lpse.example.go.id"), false),
            Err(Error::AlreadyExists { .. })
        ));
        // ...keeps the old one while pending, and drops it when abandoned.
        let second = vault
            .begin_enrollment(account("PPK2"), site("https://lpse.example.go.id"), true)
            .unwrap();
        let second_id = second.id().to_owned();
        assert_eq!(vault.accounts().len(), 3);
        vault.abandon_enrollment(second).unwrap();
        assert!(vault.get(&first_id).is_some());
        assert!(vault.get(&second_id).is_none());

        // Confirmed, it takes the old one's place and label.
        let third = vault
            .begin_enrollment(account("PPK2"), site("https://lpse.example.go.id"), true)
            .unwrap();
        let third_id = third.id().to_owned();
        vault.finish_enrollment(third, None).unwrap();
        let ids: Vec<&str> = vault.accounts().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, [other.as_str(), third_id.as_str()]);
        assert_eq!(
            vault.get(&third_id).unwrap().label.as_deref(),
            Some("Kantor")
        );
        // No lock file is left behind.
        assert!(files::enrollment_lock_ids(tmp.path()).is_empty());
    }

    /// A pending enrollment is left alone while its process holds it, and
    /// taken over (once) when that process is gone; a new enrollment of the
    /// same account supersedes one nobody carries out.
    #[test]
    fn unattended_enrollments_are_the_ones_nobody_holds() {
        let tmp = tempfile::tempdir().unwrap();
        let keystore = keystore();
        let mut vault = Vault::open(tmp.path(), keystore.clone()).unwrap();
        let mut other_process = Vault::open(tmp.path(), keystore).unwrap();
        let held = vault
            .begin_enrollment(account("PPK2"), site("https://a.example"), false)
            .unwrap();
        assert!(other_process.unattended_enrollments().unwrap().is_empty());
        let id = held.id().to_owned();
        drop(held); // the process died before the site answered

        let taken = other_process.unattended_enrollments().unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].0.id, id);
        assert!(
            vault.unattended_enrollments().unwrap().is_empty(),
            "held now"
        );
        let (_, enrolling) = taken.into_iter().next().unwrap();
        other_process.finish_enrollment(enrolling, None).unwrap();
        assert!(vault.unattended_enrollments().unwrap().is_empty());
        assert!(!vault.get(&id).unwrap().is_pending());

        let stale = vault
            .begin_enrollment(account("pokja1"), site("https://a.example"), false)
            .unwrap();
        let stale_id = stale.id().to_owned();
        drop(stale);
        let fresh = vault
            .begin_enrollment(account("pokja1"), site("https://a.example"), false)
            .unwrap();
        assert!(vault.get(&stale_id).is_none());
        assert!(vault.get(fresh.id()).unwrap().is_pending());
    }

    /// Clock offsets are kept per site and forgotten with the site's last account.
    #[test]
    fn clock_offsets_are_kept_per_site_while_it_has_accounts() {
        let tmp = tempfile::tempdir().unwrap();
        let keystore = keystore();
        let mut vault = Vault::open(tmp.path(), keystore.clone()).unwrap();
        let id = vault
            .add(account("PPK2"), Some(site("https://a.example")), false)
            .unwrap();
        let clock = ClockOffset {
            offset_ms: -90_000,
            measured_at: 1,
        };
        vault
            .set_clocks(&BTreeMap::from([("https://a.example".to_owned(), clock)]))
            .unwrap();
        let reopened = Vault::open(tmp.path(), keystore).unwrap();
        assert_eq!(reopened.clocks().get("https://a.example"), Some(&clock));
        vault.remove(&id).unwrap();
        assert!(vault.clocks().is_empty());
    }

    /// F-18: an export holding accounts already present replaces each of
    /// them in one save, keeping their labels and places; a refusal
    /// (no `replace`) adds none of it.
    #[test]
    fn an_import_replaces_every_match_keeping_labels_or_adds_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let mut vault = Vault::open(tmp.path(), keystore()).unwrap();
        let a = vault.add(account("a"), None, false).unwrap();
        let b = vault.add(account("b"), None, false).unwrap();
        vault.rename(&b, Some("Kantor")).unwrap();

        let error = vault
            .add_all(vec![account("new"), account("b")], false)
            .unwrap_err();
        assert!(matches!(error, Error::AlreadyExists { .. }), "{error:?}");
        let names = |v: &Vault| {
            v.accounts()
                .iter()
                .map(|x| x.account.name().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&vault), ["a", "b"], "nothing of the refused import");

        let ids = vault
            .add_all(vec![account("a"), account("b"), account("c")], true)
            .unwrap();
        assert_eq!(ids.len(), 3);
        assert_eq!(names(&vault), ["a", "b", "c"]);
        let stored: Vec<_> = vault.accounts().to_vec();
        assert!(stored.iter().all(|x| x.id != a && x.id != b), "replaced");
        assert_eq!(stored[1].label.as_deref(), Some("Kantor"), "the label kept");
        assert_eq!(stored[1].order, 1, "its place kept");
    }

    #[test]
    fn recovery_reasons_are_words() {
        assert_eq!(RecoveryReason::Missing.to_string(), "missing");
        assert_eq!(
            RecoveryReason::Tampered.to_string(),
            "altered or damaged (it failed its integrity check)"
        );
        assert_eq!(
            RecoveryReason::Corrupt.to_string(),
            "not a readable vault file any more"
        );
    }
}
