//! The commands over a payload alone, with no vault: `inspect` and `code`.
//! Each returns what to print, so `main` owns stdout and stderr.

use std::fmt::Write;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use spse_otp::{Payload, Summary};
use zeroize::Zeroizing;

use crate::error::CliError;

/// Where `inspect`, `code` and `add` take their payload from.
pub(crate) enum Input {
    /// The payload's text, or `-` for standard input (which keeps the secret
    /// out of the shell history and the process list).
    Text(String),
    /// A picture holding the payload's QR code, or `-` for its bytes on
    /// standard input.
    Image(PathBuf),
}

/// The payload the input holds; from a picture, the one QR code in it that
/// is an authenticator payload (`spse_qr::find_payload`), so a picture and
/// its text give the same output.
pub(crate) fn read_payload(input: &Input) -> Result<Payload, CliError> {
    match input {
        Input::Text(argument) if argument != "-" => Ok(Payload::parse(argument)?),
        Input::Text(_) => {
            let mut text = Zeroizing::new(String::new());
            std::io::stdin()
                .take(spse_otp::MAX_PAYLOAD_LEN as u64 + 1)
                .read_to_string(&mut text)
                .map_err(CliError::Stdin)?;
            Ok(Payload::parse(&text)?)
        }
        Input::Image(path) => Ok(spse_qr::find_payload(&read_image(path)?)?),
    }
}

/// A picture's bytes from a file or (`-`) standard input, reading at most
/// one byte past `spse_qr::MAX_BYTES` so a huge file is refused as too large
/// without being read whole.
fn read_image(path: &Path) -> Result<Vec<u8>, CliError> {
    let limit = spse_qr::MAX_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|file| file.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|error| CliError::Image(path.to_path_buf(), error))?;
    Ok(bytes)
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
pub(crate) fn inspect(input: &Input) -> Result<String, CliError> {
    let payload = read_payload(input)?;
    let mut json =
        serde_json::to_string(&Summary::from(&payload)).map_err(|e| CliError::Output(e.into()))?;
    json.push('\n');
    Ok(json)
}

/// `spse-auth code`: each account's code at `at` (default: now), one per line.
pub(crate) fn code(input: &Input, at: Option<u64>) -> Result<String, CliError> {
    let payload = read_payload(input)?;
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
