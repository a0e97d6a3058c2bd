//! `spse-auth`: the headless front of SPSE Auth, over the same crates as the
//! app, for scripting, tests and machines without a screen.
//!
//! Output on stdout is the contract other tools rely on; errors are one line
//! on stderr, `error: <field>: <reason>`, with a documented exit status.

mod accounts;
mod backups;
mod error;
mod logins;
mod payloads;
mod prompt;
mod sites;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use spse_protocol::wire::Decision;

use crate::error::CliError;

/// SPSE Auth: an authenticator for SPSE, Indonesia's e-procurement system.
#[derive(Parser)]
#[command(name = "spse-auth", version, about, long_about = None)]
struct Cli {
    /// The folder holding vault.json (default: the platform's data folder,
    /// e.g. ~/.local/share/spse-auth).
    #[arg(long, global = true, env = "SPSE_AUTH_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print what a QR payload holds, as one JSON object, without its secrets.
    Inspect {
        #[command(flatten)]
        source: Source,
    },
    /// Print the current code of every account in a payload, one per line.
    Code {
        #[command(flatten)]
        source: Source,
        /// Make the codes for this Unix time (seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
    },
    /// Add the accounts of a QR payload to the vault; prints `added <id>` each.
    Add {
        #[command(flatten)]
        source: Source,
        /// Confirm without asking: a training (http://) server, a trusted
        /// root, replacing an account already there.
        #[arg(long)]
        yes: bool,
        /// Also trust this root certificate (PEM or DER) for the enrolled
        /// site only, e.g. a training server's own; it is kept with the
        /// account and never trusted for another site.
        #[arg(long, env = "SPSE_AUTH_TRUST_ROOT", value_name = "FILE")]
        trust_root: Option<PathBuf>,
    },
    /// List the vault's accounts, grouped by SPSE site.
    List {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show every account's current code and the seconds it has left.
    Codes {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the logins waiting for an answer, on every enrolled site.
    Pending {
        /// Wait up to this many seconds (at most 30) for a login to appear.
        #[arg(long, default_value_t = 0, value_name = "SECONDS")]
        wait: u64,
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Authorize a login ("Ya"); prints the site's answer.
    Approve {
        /// The login's id, as `pending` shows it.
        tx: String,
        /// The 2-digit number the login page shows.
        #[arg(long, value_name = "NN")]
        number: Option<String>,
    },
    /// Refuse a login ("Tidak").
    Deny {
        /// The login's id.
        tx: String,
    },
    /// Refuse and report a login you did not start ("Bukan saya").
    Report {
        /// The login's id.
        tx: String,
    },
    /// Ask the site whether TOTP is still active for an account.
    Status {
        /// The account id.
        id: String,
    },
    /// Remove an account (and its secret) from the vault.
    Remove {
        /// The account id, as `list` shows it.
        id: String,
        /// Confirm without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Write every account, SPSE device keys included, to FILE sealed with
    /// a password (docs/backup.md), to carry on on a new device.
    Backup {
        /// The backup file to write.
        file: PathBuf,
        #[command(flatten)]
        password: PasswordArg,
        /// Replace FILE if it exists.
        #[arg(long)]
        yes: bool,
    },
    /// Add the accounts of an SPSE Auth backup that are not here yet;
    /// prints `added <id>` and `skipped <issuer>:<name> (already here)`.
    Restore {
        /// The backup file.
        file: PathBuf,
        #[command(flatten)]
        password: PasswordArg,
    },
    /// Add the accounts of another authenticator's export (Aegis, 2FAS,
    /// Ente Auth, Bitwarden, Proton Authenticator, andOTP, FreeOTP+, Google
    /// Authenticator, otpauth:// links), found from the file's content.
    Import {
        /// The export file.
        file: PathBuf,
        #[command(flatten)]
        password: PasswordArg,
        /// Add without asking (the list is still printed on stderr).
        #[arg(long)]
        yes: bool,
    },
    /// Write every account's codes for another app (SPSE device keys stay
    /// here).
    Export {
        /// aegis (encrypted), aegis-plain or otpauth (both unencrypted).
        #[arg(long, value_enum)]
        format: backups::ExportFormat,
        /// The file to write.
        file: PathBuf,
        #[command(flatten)]
        password: PasswordArg,
        /// Confirm an unencrypted export, and replacing FILE, without asking.
        #[arg(long)]
        yes: bool,
    },
}

/// A password, never on the command line (argv is visible to every user
/// of the machine): asked at the terminal without echo, or read from a file.
#[derive(clap::Args)]
struct PasswordArg {
    /// Read the password from the first line of this file instead of asking.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
}

impl PasswordArg {
    fn source(&self) -> backups::Password<'_> {
        backups::Password {
            file: self.password_file.as_deref(),
        }
    }
}

/// Where a payload comes from: its text, or a picture of its QR code.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Source {
    /// The payload text (an otpauth://, otpauth-migration:// URI or the
    /// SPSE JSON form), or `-` to read it from standard input.
    payload: Option<String>,
    /// Read the payload from the QR code in this picture (PNG, JPEG, WebP,
    /// BMP, GIF: a screenshot of the Aktivasi TOTP page, a photo), or `-`
    /// to read the picture from standard input.
    #[arg(long, value_name = "FILE")]
    image: Option<PathBuf>,
}

impl Source {
    /// The one source clap let through (the group requires exactly one).
    fn into_input(self) -> payloads::Input {
        match (self.image, self.payload) {
            (Some(path), _) => payloads::Input::Image(path),
            (None, text) => payloads::Input::Text(text.unwrap_or_default()),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: clap prints them and they are not errors.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => return report(&CliError::from(e)),
    };
    let data_dir = cli.data_dir;
    if let Command::Inspect { source } | Command::Code { source, .. } | Command::Add { source, .. } =
        &cli.command
        && let Some(text) = &source.payload
    {
        payloads::warn_if_secret_on_command_line(text);
    }
    let result = match cli.command {
        Command::Inspect { source } => payloads::inspect(&source.into_input()),
        Command::Code { source, at } => payloads::code(&source.into_input(), at),
        Command::Add {
            source,
            yes,
            trust_root,
        } => accounts::add(data_dir, &source.into_input(), yes, trust_root.as_deref()),
        Command::List { json } => accounts::list(data_dir, json),
        Command::Codes { json } => accounts::codes(data_dir, json),
        Command::Remove { id, yes } => accounts::remove(data_dir, &id, yes),
        Command::Pending { wait, json } => logins::pending(data_dir, wait, json),
        Command::Approve { tx, number } => {
            logins::decide(data_dir, &tx, Decision::Approve, number.as_deref())
        }
        Command::Deny { tx } => logins::decide(data_dir, &tx, Decision::Deny, None),
        Command::Report { tx } => logins::decide(data_dir, &tx, Decision::Report, None),
        Command::Status { id } => logins::status(data_dir, &id),
        Command::Backup {
            file,
            password,
            yes,
        } => backups::backup(data_dir, &file, &password.source(), yes),
        Command::Restore { file, password } => {
            backups::restore(data_dir, &file, &password.source())
        }
        Command::Import {
            file,
            password,
            yes,
        } => backups::import(data_dir, &file, &password.source(), yes),
        Command::Export {
            format,
            file,
            password,
            yes,
        } => backups::export(data_dir, format, &file, &password.source(), yes),
    };
    match result.and_then(|out| {
        std::io::stdout()
            .write_all(out.as_bytes())
            .map_err(CliError::Output)
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

fn report(error: &CliError) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(error.exit_status())
}
