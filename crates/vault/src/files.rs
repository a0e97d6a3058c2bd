//! The vault's files on disk: `vault.json`, its backup `vault.json.bak`, the
//! lock, and the one way they are ever written.
//!
//! A save writes `vault.json.tmp` and fsyncs it, hard-links the current good
//! `vault.json` to `vault.json.bak` (through a temporary name and a rename,
//! so the backup is always whole), renames the new file over `vault.json` and
//! fsyncs the folder. At every instant `vault.json` is the old or the new
//! file, complete. A damaged `vault.json` is never overwritten: it is moved
//! aside to `vault.json.damaged-<unix ms>` first.
//!
//! The folder is made `0700` and every file `0600` as it is created (never
//! made first and narrowed after), so no other user of the machine can read
//! the sealed vault or learn when it changes. A `vault.json` that came from
//! elsewhere with a wider mode is narrowed before it becomes the backup or
//! is moved aside.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// The file names inside the data folder.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The data folder.
    pub dir: PathBuf,
    /// `vault.json`: the current vault.
    pub current: PathBuf,
    /// `vault.json.bak`: the previous good vault.
    pub backup: PathBuf,
    tmp: PathBuf,
    backup_tmp: PathBuf,
    lock: PathBuf,
}

impl Paths {
    /// The vault's files in `dir`.
    pub fn new(dir: &Path) -> Paths {
        Paths {
            dir: dir.to_owned(),
            current: dir.join("vault.json"),
            backup: dir.join("vault.json.bak"),
            tmp: dir.join("vault.json.tmp"),
            backup_tmp: dir.join("vault.json.bak.tmp"),
            lock: dir.join("vault.lock"),
        }
    }
}

/// An exclusive lock on the vault, held for a read-modify-write so that two
/// processes (the app and the CLI) never lose each other's update.
/// Released when dropped (or when the process dies).
pub(crate) struct Lock {
    _file: File,
}

impl Lock {
    pub(crate) fn acquire(paths: &Paths) -> Result<Lock> {
        private_dir(&paths.dir).map_err(|e| Error::io("create", &paths.dir, e))?;
        let file = private_file()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&paths.lock)
            .map_err(|e| Error::io("open", &paths.lock, e))?;
        file.lock().map_err(|e| Error::io("lock", &paths.lock, e))?;
        Ok(Lock { _file: file })
    }
}

/// The lock file held by the process enrolling account `id`, from before
/// the account is stored until the site's answer is saved.
pub(crate) fn enrollment_lock_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("enrolling-{id}.lock"))
}

/// The ids of every enrollment lock file in `dir`.
pub(crate) fn enrollment_lock_ids(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            Some(
                name.strip_prefix("enrolling-")?
                    .strip_suffix(".lock")?
                    .to_owned(),
            )
        })
        .collect()
}

/// Takes the lock of enrollment `id`: `Ok(None)` when another process holds
/// it (that enrollment is in progress there).
pub(crate) fn lock_enrollment(dir: &Path, id: &str) -> Result<Option<(File, PathBuf)>> {
    let path = enrollment_lock_path(dir, id);
    let file = private_file()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some((file, path))),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(Error::io("lock", &path, e)),
    }
}

/// Reads a file; `None` when it does not exist.
pub(crate) fn read(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// What to do with the current `vault.json` when replacing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Current {
    /// It is good: it becomes the backup.
    KeepAsBackup,
    /// It is damaged: move it aside, keep the backup as it is.
    MoveAside,
    /// There is none.
    Absent,
}

/// Creates the data folder (and missing parents) as `0700`; an existing
/// one that others can enter (made by an earlier build) is narrowed.
fn private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(mode & 0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    fs::create_dir_all(dir)
}

/// Options that create a file readable by its owner only.
fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Takes group and other permissions off a file this vault did not
/// create itself. Best effort: FAT and exFAT have no modes to change (and
/// refuse), and the folder is `0700` anyway.
fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = fs::metadata(path) {
            let mode = metadata.permissions().mode();
            if mode & 0o077 != 0 {
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The steps of a save, named so fault-injection tests can fail each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    WriteTemp,
    SyncTemp,
    /// The hard link: failed as FAT does (`EPERM`), so the copy is used.
    LinkBackup,
    CopyBackup,
    RenameBackup,
    MoveAside,
    Rename,
    SyncDir,
}

#[cfg(test)]
thread_local! {
    /// The steps a test wants to fail, as a full disk (or FAT) would.
    pub(crate) static FAIL_AT: std::cell::RefCell<Vec<Step>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Fails where a test asked; a no-op in the real build.
fn fault(step: Step) -> io::Result<()> {
    #[cfg(test)]
    if FAIL_AT.with(|f| f.borrow().contains(&step)) {
        if step == Step::LinkBackup {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
        return Err(io::Error::new(io::ErrorKind::StorageFull, "injected fault"));
    }
    let _ = step;
    Ok(())
}

/// Writes `bytes` as the new `vault.json`, atomically, keeping a backup.
/// On any failure the old `vault.json` is untouched.
pub(crate) fn replace(paths: &Paths, bytes: &[u8], current: Current) -> Result<()> {
    private_dir(&paths.dir).map_err(|e| Error::io("create", &paths.dir, e))?;
    let written = write_temp(&paths.tmp, bytes);
    if let Err(e) = written {
        let _ = fs::remove_file(&paths.tmp);
        return Err(Error::io("write", &paths.tmp, e));
    }

    if current != Current::Absent {
        // It becomes the backup (a hard link shares its mode) or the file
        // moved aside; either way it stays owner-only even when it came
        // with a wider mode (restored by hand, written by a sync tool).
        owner_only(&paths.current);
    }
    match current {
        Current::KeepAsBackup => {
            let _ = fs::remove_file(&paths.backup_tmp);
            let linked = link_backup(paths).and_then(|()| {
                fault(Step::RenameBackup)?;
                fs::rename(&paths.backup_tmp, &paths.backup)
            });
            if let Err(e) = linked {
                let _ = fs::remove_file(&paths.tmp);
                let _ = fs::remove_file(&paths.backup_tmp);
                return Err(Error::io("back up", &paths.current, e));
            }
        }
        Current::MoveAside => {
            let aside = paths
                .dir
                .join(format!("vault.json.damaged-{}", now_millis()));
            if let Err(e) = fault(Step::MoveAside).and_then(|()| fs::rename(&paths.current, &aside))
            {
                let _ = fs::remove_file(&paths.tmp);
                return Err(Error::io("move aside", &paths.current, e));
            }
        }
        Current::Absent => {}
    }

    if let Err(e) = fault(Step::Rename).and_then(|()| fs::rename(&paths.tmp, &paths.current)) {
        let _ = fs::remove_file(&paths.tmp);
        return Err(Error::io("replace", &paths.current, e));
    }
    sync_dir(&paths.dir).map_err(|source| Error::NotDurable {
        path: paths.dir.clone(),
        source,
    })
}

/// Writes `bytes` over the backup too (through its temporary name), after a
/// save removed an account, so the removed secret does not linger there.
pub(crate) fn overwrite_backup(paths: &Paths, bytes: &[u8]) -> Result<()> {
    if let Err(e) = write_temp(&paths.backup_tmp, bytes)
        .and_then(|()| fault(Step::RenameBackup))
        .and_then(|()| fs::rename(&paths.backup_tmp, &paths.backup))
    {
        let _ = fs::remove_file(&paths.backup_tmp);
        return Err(Error::io("rewrite", &paths.backup, e));
    }
    sync_dir(&paths.dir).map_err(|source| Error::NotDurable {
        path: paths.dir.clone(),
        source,
    })
}

/// Writes a whole file atomically, readable by its owner only: through a
/// temporary name beside it, synced, then renamed over `path`, so a crash
/// or a full disk leaves the old file or the new one, never half of one.
/// For files other than the vault: a backup the user saves, the mark of the
/// last backup.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    if let Err(e) = write_temp(&tmp, bytes).and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io("write", path, e));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        sync_dir(dir).map_err(|source| Error::NotDurable {
            path: dir.to_owned(),
            source,
        })?;
    }
    Ok(())
}

fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_file()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    fault(Step::WriteTemp)?;
    file.write_all(bytes)?;
    fault(Step::SyncTemp)?;
    file.sync_all()
}

/// Hard-links the current file to the backup's temporary name; where that
/// fails for any reason (FAT and exFAT answer `EPERM`, some network shares
/// `EOPNOTSUPP`), copies and fsyncs instead.
fn link_backup(paths: &Paths) -> io::Result<()> {
    let linked =
        fault(Step::LinkBackup).and_then(|()| fs::hard_link(&paths.current, &paths.backup_tmp));
    if linked.is_ok() {
        return Ok(());
    }
    let _ = fs::remove_file(&paths.backup_tmp);
    fault(Step::CopyBackup)?;
    let bytes = fs::read(&paths.current)?;
    write_temp(&paths.backup_tmp, &bytes)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    fault(Step::SyncDir)?;
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}
