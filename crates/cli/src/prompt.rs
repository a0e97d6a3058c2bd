//! Asking the person at the terminal to confirm, or requiring `--yes` when
//! there is nobody to ask (scripts, CI).

use std::io::{BufRead, IsTerminal, Write};

use crate::error::CliError;

/// Ok when `yes` was given or the person answers yes; otherwise the
/// [`CliError::Unconfirmed`] that names what needed confirming.
pub(crate) fn confirm(yes: bool, question: &str) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::Unconfirmed(question.to_owned()));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{question}. Continue? [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(CliError::Stdin)?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "ya" => Ok(()),
        _ => Err(CliError::Unconfirmed(question.to_owned())),
    }
}
