//! Answering logins from the command line: `pending`, `approve`, `deny`,
//! `report`, and `status`.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;
use spse_client::{Device, now_ms};
use spse_protocol::wire::{Challenge, Decision, DeviceStatus};
use spse_vault::StoredAccount;

use crate::accounts::{enrolled_device, open, runtime};
use crate::error::CliError;
use crate::sites;

/// Every enrolled account with its site and device.
fn enrolled(data_dir: Option<PathBuf>) -> Result<Vec<(StoredAccount, String, Device)>, CliError> {
    let vault = open(data_dir)?;
    let mut out = Vec::new();
    for stored in vault.accounts() {
        if let Some((server, device)) = enrolled_device(stored)? {
            out.push((stored.clone(), server, device));
        }
    }
    Ok(out)
}

/// The waiting logins of every enrolled account, polled side by side.
fn collect(
    accounts: &[(StoredAccount, String, Device)],
    wait: u64,
) -> Result<Vec<(usize, Challenge)>, CliError> {
    let client = sites::client()?;
    let polls = accounts
        .iter()
        .map(|(_, server, device)| client.pending(server, device, wait));
    let results = runtime()?.block_on(futures_util::future::join_all(polls));
    let mut found = Vec::new();
    let mut first_error = None;
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Ok(challenges) => found.extend(challenges.into_iter().map(|c| (index, c))),
            Err(e) => {
                eprintln!("warning: {}: {e}", accounts[index].0.describe());
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if found.is_empty() && accounts.len() == 1 => Err(e.into()),
        _ => Ok(found),
    }
}

/// One waiting login as `pending --json` prints it.
#[derive(Serialize)]
struct Pending<'a> {
    tx: &'a str,
    account_id: &'a str,
    user_id: &'a str,
    site: &'a str,
    number_match: bool,
    expires_at: u64,
}

/// `spse-auth pending`.
pub(crate) fn pending(
    data_dir: Option<PathBuf>,
    wait: u64,
    json: bool,
) -> Result<String, CliError> {
    let accounts = enrolled(data_dir)?;
    let found = collect(&accounts, wait)?;
    if json {
        let listed: Vec<Pending<'_>> = found
            .iter()
            .map(|(i, c)| Pending {
                tx: &c.tx_id,
                account_id: &accounts[*i].0.id,
                user_id: &c.user_id,
                site: &accounts[*i].1,
                number_match: c.number_match,
                expires_at: c.expires,
            })
            .collect();
        let mut text = serde_json::to_string(&listed).map_err(|e| CliError::Output(e.into()))?;
        text.push('\n');
        return Ok(text);
    }
    let mut out = String::new();
    let now = now_ms();
    for (i, c) in &found {
        let left = c.expires.saturating_sub(now) / 1000;
        let number = if c.number_match {
            "  (type the number shown)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}  Authorize login? {} on {} from {} ({}), {left} s left{number}",
            shown(&c.tx_id),
            shown(&c.user_id),
            accounts[*i].1,
            shown(&c.ip),
            shown(&c.user_agent)
        );
    }
    Ok(out)
}

/// Text from the site (the browser's User-Agent is the login attempt's own
/// words) with control characters replaced, so it cannot drive the terminal.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// `spse-auth approve|deny|report TX`: prints the site's answer.
pub(crate) fn decide(
    data_dir: Option<PathBuf>,
    tx: &str,
    decision: Decision,
    number: Option<&str>,
) -> Result<String, CliError> {
    let accounts = enrolled(data_dir)?;
    let found = collect(&accounts, 0)?;
    let (index, challenge) = found
        .into_iter()
        .find(|(_, c)| c.tx_id == tx)
        .ok_or_else(|| CliError::UnknownLogin(tx.to_owned()))?;
    let (_, server, device) = &accounts[index];
    let client = sites::client()?;
    let answer =
        runtime()?.block_on(client.decide(server, device, &challenge, decision, number))?;
    Ok(format!("{}\n", answer.message))
}

/// `spse-auth status ID`: whether TOTP is still active for the account.
pub(crate) fn status(data_dir: Option<PathBuf>, id: &str) -> Result<String, CliError> {
    let vault = open(data_dir)?;
    let stored = vault
        .get(id)
        .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?;
    let (server, device) =
        enrolled_device(stored)?.ok_or_else(|| CliError::NotEnrolled(id.to_owned()))?;
    let client = sites::client()?;
    let status = runtime()?.block_on(client.device_status(&server, &device))?;
    Ok(match status {
        DeviceStatus::Active => "active\n",
        DeviceStatus::Disabled => "disabled\n",
        DeviceStatus::Removed => "removed\n",
    }
    .to_owned())
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn site_text_cannot_drive_the_terminal() {
        assert_eq!(shown("Firefox\x1b[2J\x07"), "Firefox?[2J?");
        assert_eq!(shown("PPK2"), "PPK2");
    }
}
