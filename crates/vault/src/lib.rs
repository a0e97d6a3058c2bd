//! The account store of SPSE Auth, shared by the app and the CLI.
//!
//! One file, `vault.json`: a JSON header and the accounts sealed with
//! AES-256-GCM (docs/vault.md). Its 256-bit key lives only in the platform
//! keystore ([`Keystore::platform`]). Every change is a locked
//! read-modify-write and an atomic replace that keeps the previous good file
//! as `vault.json.bak`, so a crash, a full disk or a second process never
//! loses an account, and a damaged or foreign file is refused, never emptied.

mod backups;
mod error;
mod files;
mod keystore;
mod records;
mod sealed;
mod vault;

pub use backups::{Added, BackupState, read_backup_contents};
pub use error::{Error, Result};
pub use files::{Paths, write_file};
pub use keystore::{Keystore, SERVICE, VaultKey};
pub use records::{ClockOffset, DeviceIdentity, PendingEnrollment, Site, StoredAccount};
pub use sealed::{FORMAT, Unreadable, Unsealable, VERSION, VaultFile};
pub use vault::{Enrolling, Group, Recovery, RecoveryReason, Vault};
