//! The user's accounts kept in step with their SPSE sites: the operations
//! that span the vault (`spse-vault`) and the network (`spse-client`), shared
//! by the app and the CLI so both behave the same.
//!
//! - [`enroll`]: the account and its device key are stored (pending) before
//!   the site is told, then marked enrolled; [`recover`] finishes or rolls
//!   back what a crash, a killed process or a full disk left pending.
//! - [`sites`]: a client that trusts each site's own root for that site
//!   only and starts from each site's last known clock offset, which is
//!   saved back for the next run and used for codes.
//! - [`removal`]: whether deleting an account would lock its user out.
//! - [`logins`]: the logins waiting on every enrolled account.
//!
//! The vault is shared as a `Mutex<Vault>` and locked only for the short
//! synchronous steps, never across a network call.

mod enroll;
mod error;
pub mod logins;
pub mod removal;
pub mod sites;

pub use enroll::{Added, EnrollOptions, Recovered, Settled, enroll, recover};
pub use error::{Error, Result};

use std::sync::{Mutex, MutexGuard};

use spse_vault::Vault;

/// Locks the shared vault. A panic elsewhere while it was held cannot have
/// left it half-changed (every change is one atomic save), so a poisoned
/// lock is taken over rather than refused.
pub(crate) fn lock(vault: &Mutex<Vault>) -> MutexGuard<'_, Vault> {
    vault
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
