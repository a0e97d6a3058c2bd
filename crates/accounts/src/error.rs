//! The errors of operations that span the vault and a site: each says what
//! happened on both sides, since the user must know whether the site and
//! the app still agree.

/// Everything that can go wrong keeping accounts and sites in step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The vault or the keystore refused; the site was not contacted.
    #[error(transparent)]
    Vault(#[from] spse_vault::Error),
    /// The site refused or could not be reached; the vault is as before.
    #[error(transparent)]
    Site(#[from] spse_client::Error),
    /// The site enrolled the account, but saving that failed (a full disk):
    /// the account and its key are kept, marked pending, and the next start
    /// finishes it.
    #[error(
        "vault: {server} enrolled the account, but it could not be saved as done ({source}); it is \
         kept and will be finished at the next start"
    )]
    EnrolledNotSaved {
        /// The site.
        server: String,
        /// Why the save failed.
        source: spse_vault::Error,
    },
    /// The site's answer was lost (a timeout, a broken connection) and it
    /// could not be asked whether it enrolled the account: kept pending,
    /// checked again at the next start.
    #[error(
        "site: it is not known whether {server} enrolled the account ({source}); it is kept and \
         will be checked again at the next start"
    )]
    Unsettled {
        /// The site.
        server: String,
        /// The last network error.
        source: spse_client::Error,
    },
}

impl Error {
    /// A stable code for the app's IPC (`{code, message}`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Vault(e) => e.code(),
            Error::Site(_) => "site",
            Error::EnrolledNotSaved { .. } => "enrolled_not_saved",
            Error::Unsettled { .. } => "enrollment_unsettled",
        }
    }
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_say_what_happened_on_both_sides() {
        let error = Error::Unsettled {
            server: "https://lpse.example.go.id".into(),
            source: spse_client::Error::Timeout {
                server: "https://lpse.example.go.id".into(),
            },
        };
        assert_eq!(
            error.to_string(),
            "site: it is not known whether https://lpse.example.go.id enrolled the account (site: \
             https://lpse.example.go.id did not answer in time; try again); it is kept and will \
             be checked again at the next start"
        );
        assert_eq!(error.code(), "enrollment_unsettled");
    }
}
