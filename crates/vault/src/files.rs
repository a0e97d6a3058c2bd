//! The vault's files on disk: `vault.json`, its backup `vault.json.bak`, the
//! lock, and the one way they are ever written.
//!
//! A save writes `vault.json.tmp` and fsyncs it, hard-links the current good
//! `vault.json` to `vault.json.bak` (through a temporary name and a rename,
//! so the backup is always whole), renames the new file over `vault.json` and
//! fsyncs the folder. At every instant `vault.json` is the old or the new
//! file, complete. A damaged `vault.json` is never overwritten: it is moved
//! aside to `vault.json.damaged-<unix ms>` first.

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
        fs::create_dir_all(&paths.dir).map_err(|e| Error::io("create", &paths.dir, e))?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&paths.lock)
            .map_err(|e| Error::io("open", &paths.lock, e))?;
        file.lock().map_err(|e| Error::io("lock", &paths.lock, e))?;
        Ok(Lock { _file: file })
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

/// The steps of a save, named so fault-injection tests can fail each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    WriteTemp,
    SyncTemp,
    LinkBackup,
    RenameBackup,
    MoveAside,
    Rename,
    SyncDir,
}

#[cfg(test)]
thread_local! {
    /// The step a test wants to fail, as a full disk would.
    pub(crate) static FAIL_AT: std::cell::Cell<Option<Step>> = const { std::cell::Cell::new(None) };
}

/// Fails where a test asked; a no-op in the real build.
fn fault(step: Step) -> io::Result<()> {
    #[cfg(test)]
    if FAIL_AT.with(|f| f.get()) == Some(step) {
        return Err(io::Error::new(io::ErrorKind::StorageFull, "injected fault"));
    }
    let _ = step;
    Ok(())
}

/// Writes `bytes` as the new `vault.json`, atomically, keeping a backup.
/// On any failure the old `vault.json` is untouched.
pub(crate) fn replace(paths: &Paths, bytes: &[u8], current: Current) -> Result<()> {
    fs::create_dir_all(&paths.dir).map_err(|e| Error::io("create", &paths.dir, e))?;
    let written = write_temp(&paths.tmp, bytes);
    if let Err(e) = written {
        let _ = fs::remove_file(&paths.tmp);
        return Err(Error::io("write", &paths.tmp, e));
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
    sync_dir(&paths.dir).map_err(|e| Error::io("sync", &paths.dir, e))
}

fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create(path)?;
    fault(Step::WriteTemp)?;
    file.write_all(bytes)?;
    fault(Step::SyncTemp)?;
    file.sync_all()
}

/// Hard-links the current file to the backup's temporary name; where the
/// file system has no hard links, copies and fsyncs instead.
fn link_backup(paths: &Paths) -> io::Result<()> {
    fault(Step::LinkBackup)?;
    match fs::hard_link(&paths.current, &paths.backup_tmp) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {
            fs::copy(&paths.current, &paths.backup_tmp)?;
            File::open(&paths.backup_tmp)?.sync_all()
        }
        Err(e) => Err(e),
    }
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
