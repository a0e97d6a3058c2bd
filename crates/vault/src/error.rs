//! The one error type of the vault: each variant is something a person can
//! act on, and its text says what to do. None ever holds a secret or the key.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong opening or changing the vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The platform keystore cannot be reached or is locked.
    #[error("the system keystore cannot be reached: {hint} ({detail})")]
    KeystoreUnavailable {
        /// What to do about it on this platform.
        hint: &'static str,
        /// The keystore's own words, for support.
        detail: String,
    },
    /// The vault file exists but its key is not in the keystore.
    #[error(
        "the key of this vault ({key_id}) is not in the system keystore, so the vault cannot be \
         opened; it was left untouched (was the keyring reset, or the data folder copied from \
         another device or user?)"
    )]
    KeyMissing {
        /// The keystore entry the vault names.
        key_id: String,
    },
    /// The keystore holds a key that does not belong to this vault.
    #[error(
        "the key in the system keystore does not match this vault ({key_id}); the vault was left \
         untouched"
    )]
    KeyWrong {
        /// The keystore entry the vault names.
        key_id: String,
    },
    /// The file fails authentication: it was altered, or damaged in a way
    /// that kept it readable JSON.
    #[error("{}: failed its integrity check (altered or damaged); it was left untouched", path.display())]
    Tampered {
        /// The file at fault.
        path: PathBuf,
    },
    /// The file is not a vault at all any more (truncated, overwritten).
    #[error("{}: not a readable vault file ({reason}); it was left untouched", path.display())]
    Corrupt {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong, for support.
        reason: String,
    },
    /// The file was written by a newer SPSE Auth with a format this one
    /// cannot read without losing data.
    #[error("{}: written by a newer SPSE Auth (vault format {version}); update the app", path.display())]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its format version.
        version: u32,
    },
    /// A file system operation failed (disk full, read-only folder, ...).
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What was being done, as a verb phrase.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The change was written and is in place, but the folder could not be
    /// synced: it may be lost if the power fails before the system writes it.
    #[error(
        "the change was saved, but {} could not be synced to disk ({source}); it may be lost if \
         the power fails now",
        path.display()
    )]
    NotDurable {
        /// The data folder.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// Adding an account that is already there (same site and user ID, or
    /// the same codes-only account); replacing it needs confirmation.
    #[error("account: {what} is already in the vault as {id}; confirm to replace it")]
    AlreadyExists {
        /// The account already stored.
        id: String,
        /// How the person knows it (`PPK2 on https://...`).
        what: String,
    },
    /// No account has this id.
    #[error("id: no account {id} in the vault")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// A pending-enrollment step on an account that is not pending (another
    /// process finished or rolled it back meanwhile).
    #[error("id: {id} is not waiting for its enrollment to be confirmed")]
    NotPending {
        /// The account id.
        id: String,
    },
    /// A display name that cannot be used.
    #[error("name: {0}")]
    BadName(&'static str),
    /// A reorder that does not list every account exactly once.
    #[error("order: must list every account of the vault exactly once")]
    BadOrder,
    /// A backup whose seal is good but whose content is not an SPSE Auth
    /// backup's (docs/backup.md): nothing of it was restored.
    #[error("backup: {0}")]
    BackupContent(String),
}

impl Error {
    /// A stable code for the app's IPC (`{code, message}`); the UI maps it to
    /// words in Indonesian and English.
    pub fn code(&self) -> &'static str {
        match self {
            Error::KeystoreUnavailable { .. } => "keystore_unavailable",
            Error::KeyMissing { .. } => "key_missing",
            Error::KeyWrong { .. } => "key_wrong",
            Error::Tampered { .. } => "vault_tampered",
            Error::Corrupt { .. } => "vault_corrupt",
            Error::TooNew { .. } => "vault_too_new",
            Error::BackupContent(_) => "backup_content",
            Error::Io { .. } => "io",
            Error::NotDurable { .. } => "not_durable",
            Error::AlreadyExists { .. } => "account_exists",
            Error::NotFound { .. } => "account_not_found",
            Error::NotPending { .. } => "account_not_pending",
            Error::BadName(_) => "bad_name",
            Error::BadOrder => "bad_order",
        }
    }

    /// True for errors about the caller's request rather than the vault or
    /// the keystore (the CLI exits 2 for these, 3 for the rest).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::AlreadyExists { .. }
                | Error::NotFound { .. }
                | Error::NotPending { .. }
                | Error::BadName(_)
                | Error::BadOrder
                | Error::BackupContent(_)
        )
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
