//! `spse-auth`: the headless front of SPSE Auth, over the same crates as the
//! app, for scripting, tests and machines without a screen.
//!
//! Output on stdout is the contract other tools rely on; errors are one line
//! on stderr, `error: <field>: <reason>`, with a documented exit status.

mod commands;
mod error;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CliError;

/// SPSE Auth: an authenticator for SPSE, Indonesia's e-procurement system.
#[derive(Parser)]
#[command(name = "spse-auth", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print what a QR payload holds, as one JSON object, without its secrets.
    Inspect {
        /// The payload text (an otpauth://, otpauth-migration:// URI or the
        /// SPSE JSON form), or `-` to read it from standard input.
        payload: String,
    },
    /// Print the current code of every account in a payload, one per line.
    Code {
        /// The payload text, or `-` to read it from standard input.
        payload: String,
        /// Make the codes for this Unix time (seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
    },
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
    let result = match cli.command {
        Command::Inspect { payload } => commands::inspect(&payload),
        Command::Code { payload, at } => commands::code(&payload, at),
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
