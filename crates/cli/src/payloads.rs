//! The commands over a payload alone, with no vault: `inspect` and `code`.
//! Each returns what to print, so `main` owns stdout and stderr.

use std::fmt::Write;
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use spse_otp::{Payload, Summary};
use zeroize::Zeroizing;

use crate::error::CliError;

/// The payload argument, or standard input when it is `-` (which keeps the
/// secret out of the shell history and the process list).
pub(crate) fn read_payload(argument: &str) -> Result<Payload, CliError> {
    if argument != "-" {
        return Ok(Payload::parse(argument)?);
    }
    let mut text = Zeroizing::new(String::new());
    std::io::stdin()
        .take(spse_otp::MAX_PAYLOAD_LEN as u64 + 1)
        .read_to_string(&mut text)
        .map_err(CliError::Stdin)?;
    Ok(Payload::parse(&text)?)
}

/// Warns on stderr when an authenticator payload (its secret with it) was
/// given on the command line, where every user of the machine can read it
/// (`ps`, `/proc/<pid>/cmdline`) and the shell history keeps it (review
/// finding 8). Scripts keep working; the warning says what to use instead.
/// A text that is not a payload is reported by the command's own error.
pub(crate) fn warn_if_secret_on_command_line(argument: &str) {
    if argument != "-" && Payload::parse(argument).is_ok() {
        eprintln!(
            "warning: the payload and its secret were given on the command line, where other \
             users of this machine can see them; pass - to read it from standard input"
        );
    }
}

/// `spse-auth inspect`: the [`Summary`] as one line of JSON.
pub(crate) fn inspect(argument: &str) -> Result<String, CliError> {
    let payload = read_payload(argument)?;
    let mut json =
        serde_json::to_string(&Summary::from(&payload)).map_err(|e| CliError::Output(e.into()))?;
    json.push('\n');
    Ok(json)
}

/// `spse-auth code`: each account's code at `at` (default: now), one per line.
pub(crate) fn code(argument: &str, at: Option<u64>) -> Result<String, CliError> {
    let payload = read_payload(argument)?;
    let now = at.unwrap_or_else(now);
    let mut out = String::new();
    for account in payload.accounts() {
        let _ = writeln!(out, "{}", account.code_at(now));
    }
    Ok(out)
}

/// The current Unix time in seconds.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
