//! The CLI's errors and the exit status each one maps to.

use std::io;

/// Everything that can stop a `spse-auth` command.
///
/// `Display` is the text after `error: ` on stderr: one line, starting with
/// the field or thing at fault, never holding a secret.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The payload (or an account in it) is not acceptable.
    #[error(transparent)]
    Payload(#[from] spse_otp::Error),
    /// The vault or the keystore refused.
    #[error(transparent)]
    Vault(#[from] spse_vault::Error),
    /// The site could not be reached, or refused.
    #[error(transparent)]
    Site(#[from] spse_client::Error),
    /// An enrollment the site and the vault may not agree on yet.
    #[error(transparent)]
    Accounts(spse_accounts::Error),
    /// No waiting login has this id: it was answered, it expired, or the
    /// site never had it; the site's state, not the command line, decides.
    #[error(
        "tx: no login {0} is waiting for any account (answered, expired or unknown to the site); \
         run `spse-auth pending`"
    )]
    UnknownLogin(String),
    /// The account was stored without enrolling, so it has no device to talk with.
    #[error("id: {0} has no enrolled device on its site (codes only)")]
    NotEnrolled(String),
    /// The command line itself is wrong (unknown flag, missing argument).
    #[error("arguments: {0}")]
    Usage(String),
    /// A step that needs the user's confirmation, without a terminal to ask
    /// on and without `--yes`.
    #[error("{0}; add --yes to confirm")]
    Unconfirmed(String),
    /// A backup or another app's export that cannot be read: the text
    /// names the format and the problem (wrong password, damaged, newer).
    #[error(transparent)]
    Backup(#[from] spse_backup::Error),
    /// A file to import or restore could not be read.
    #[error("file: could not read {} ({})", .0.display(), .1)]
    File(std::path::PathBuf, io::Error),
    /// No password could be had, or the two typed differ.
    #[error("password: {0}")]
    Password(String),
    /// The picture holds no usable payload, or is not a picture at all; the
    /// text (`image: ...`) says which, never a decoded code.
    #[error(transparent)]
    Qr(#[from] spse_qr::Error),
    /// The picture's file (or standard input) could not be read.
    #[error("image: could not read {} ({})", .0.display(), .1)]
    Image(std::path::PathBuf, io::Error),
    /// `-` was given but standard input could not be read as text.
    #[error("payload: could not read standard input ({0})")]
    Stdin(io::Error),
    /// No data folder was given and the platform has none.
    #[error("data-dir: no data folder on this system; pass --data-dir or set SPSE_AUTH_DATA_DIR")]
    NoDataDir,
    /// The async runtime for network calls could not start.
    #[error("runtime: could not start ({0})")]
    Runtime(io::Error),
    /// Standard output is closed or full.
    #[error("output: could not write ({0})")]
    Output(io::Error),
}

impl CliError {
    /// The exit status README documents: 2 bad input, 3 vault or keystore,
    /// 4 network or server, 1 anything else.
    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            CliError::Payload(_)
            | CliError::Usage(_)
            | CliError::Unconfirmed(_)
            | CliError::Stdin(_)
            | CliError::Qr(_)
            | CliError::Image(..)
            | CliError::NoDataDir
            | CliError::NotEnrolled(_)
            | CliError::Backup(_)
            | CliError::File(..)
            | CliError::Password(_) => 2,
            CliError::Site(_) | CliError::UnknownLogin(_) => 4,
            CliError::Accounts(spse_accounts::Error::Unsettled { .. }) => 4,
            CliError::Accounts(_) => 3,
            CliError::Vault(e) if e.is_bad_input() => 2,
            CliError::Vault(_) => 3,
            CliError::Output(_) | CliError::Runtime(_) => 1,
        }
    }
}

impl From<spse_accounts::Error> for CliError {
    /// Vault and site errors keep their own exit statuses.
    fn from(error: spse_accounts::Error) -> CliError {
        match error {
            spse_accounts::Error::Vault(e) => CliError::Vault(e),
            spse_accounts::Error::Site(e) => CliError::Site(e),
            other => CliError::Accounts(other),
        }
    }
}

impl From<clap::Error> for CliError {
    /// Keeps clap's message only (without its `error: ` prefix, usage and
    /// tips) on one line, so every failure is one line on stderr; a message
    /// ending in `:` keeps the indented lines it introduces (the missing
    /// arguments).
    fn from(error: clap::Error) -> CliError {
        let text = error.render().to_string();
        let mut lines = text.lines();
        let mut message = lines
            .next()
            .unwrap_or("invalid arguments")
            .trim_start_matches("error: ")
            .trim()
            .to_owned();
        if message.ends_with(':') {
            let listed: Vec<&str> = lines
                .take_while(|line| line.starts_with("  "))
                .map(str::trim)
                .collect();
            message = format!("{} {}", message, listed.join(", "));
        }
        CliError::Usage(message)
    }
}
