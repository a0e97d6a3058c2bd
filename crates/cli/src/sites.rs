//! The protocol client every command that talks to a site shares, with the
//! roots `--trust-root` adds.

use std::path::Path;
use std::sync::OnceLock;

use spse_client::Client;

use crate::error::CliError;

static EXTRA_ROOTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();

/// Reads `--trust-root` once, at start, so a bad file is reported before any
/// command runs.
pub(crate) fn trust(file: Option<&Path>) -> Result<(), CliError> {
    let roots = match file {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                CliError::Usage(format!("trust-root: cannot read {}: {e}", path.display()))
            })?;
            spse_client::read_roots(&bytes).map_err(|_| {
                CliError::Usage(format!(
                    "trust-root: {} holds no PEM or DER certificate",
                    path.display()
                ))
            })?
        }
        None => Vec::new(),
    };
    let _ = EXTRA_ROOTS.set(roots);
    Ok(())
}

/// A client trusting the built-in roots and `--trust-root`.
pub(crate) fn client() -> Result<Client, CliError> {
    Ok(Client::new(
        EXTRA_ROOTS.get().map_or(&[][..], Vec::as_slice),
    )?)
}
