//! What every command over the vault opens: the vault (shared as the
//! `spse-accounts` operations need it), a client set up for its sites (each
//! site's own root for that site only, each site's last known clock), and a
//! runtime for the network calls. Opening settles any enrollment a crash
//! left pending and tells the user; closing saves the clocks learned.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use spse_accounts::{Recovered, Settled};
use spse_client::{Client, now_ms};
use spse_vault::{Keystore, Recovery, Vault};

use crate::error::CliError;

/// An open vault with its sites.
pub(crate) struct Sites {
    pub(crate) vault: Mutex<Vault>,
    pub(crate) client: Client,
    runtime: tokio::runtime::Runtime,
}

impl Sites {
    /// Opens the vault in `--data-dir` (or the platform data folder),
    /// warning on stderr when it had to be opened from its backup, and
    /// settles enrollments left pending.
    pub(crate) fn open(data_dir: Option<PathBuf>) -> Result<Sites, CliError> {
        let dir = match data_dir {
            Some(dir) => dir,
            None => dirs::data_dir()
                .ok_or(CliError::NoDataDir)?
                .join("spse-auth"),
        };
        let vault = Vault::open(&dir, Keystore::platform()?)?;
        if let Some(Recovery { reason, damaged }) = vault.recovery() {
            eprintln!(
                "warning: {} was {reason}; opened the backup, which may lack the last change \
                 (the damaged file is kept)",
                damaged.display()
            );
        }
        let client = spse_accounts::sites::client_for(&vault)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(CliError::Runtime)?;
        let sites = Sites {
            vault: Mutex::new(vault),
            client,
            runtime,
        };
        if sites.vault().accounts().iter().any(|a| a.is_pending()) {
            let recovered = sites.block_on(spse_accounts::recover(&sites.vault, &sites.client))?;
            for Recovered { account, outcome } in recovered {
                match outcome {
                    Settled::Finished => eprintln!(
                        "warning: the enrollment of {account}, interrupted earlier, was confirmed \
                         by the site and is now finished"
                    ),
                    Settled::RolledBack => eprintln!(
                        "warning: the enrollment of {account}, interrupted earlier, never reached \
                         the site and was removed; scan a new QR code to add it"
                    ),
                    Settled::Unresolved(e) => eprintln!("warning: {e}"),
                }
            }
        }
        Ok(sites)
    }

    /// The vault, locked.
    pub(crate) fn vault(&self) -> MutexGuard<'_, Vault> {
        self.vault
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs a network call.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Keeps the clock offsets learned in this command for the next one.
    pub(crate) fn save_clocks(&self) {
        let mut vault = self.vault();
        if let Err(e) = spse_accounts::sites::save_clocks(&mut vault, &self.client, now_ms()) {
            eprintln!("warning: the sites' clock offsets were not saved: {e}");
        }
    }
}

/// Reads a `--trust-root` file: one or more PEM certificates, or one DER.
pub(crate) fn read_root(path: &Path) -> Result<Vec<u8>, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::Usage(format!("trust-root: cannot read {}: {e}", path.display())))?;
    let roots = spse_client::read_roots(&bytes).map_err(|_| {
        CliError::Usage(format!(
            "trust-root: {} holds no PEM or DER certificate",
            path.display()
        ))
    })?;
    match <[Vec<u8>; 1]>::try_from(roots) {
        Ok([root]) => Ok(root),
        Err(_) => Err(CliError::Usage(format!(
            "trust-root: {} must hold exactly one certificate, the training server's root",
            path.display()
        ))),
    }
}
