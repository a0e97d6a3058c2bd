//! Answering logins from the command line: `pending`, `approve`, `deny`,
//! `report`, and `status`.
//!
//! Nothing a site says reaches the terminal as it was sent: the login's
//! browser is named only when recognised and its IP only when it is an
//! address (the person logging in writes the User-Agent, F-03), as the
//! app's sheet does; the result of a decision is told in the CLI's own
//! words, and the site's `message` is not printed.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;
use spse_accounts::logins::{Asked, Waiting, waiting};
use spse_accounts::sites::device_of;
use spse_client::now_ms;
use spse_protocol::wire::{Decision, DeviceStatus, Outcome};

use crate::accounts::to_json;
use crate::error::CliError;
use crate::sites::Sites;

/// The waiting logins of every enrolled account; an error when every site
/// failed (review finding 4), a warning per site that failed otherwise.
fn collect(sites: &Sites, wait: u64) -> Result<Vec<Waiting>, CliError> {
    let accounts = sites.vault().accounts().to_vec();
    let Asked {
        waiting,
        failed,
        asked,
    } = sites.block_on(waiting(&sites.client, &accounts, wait));
    sites.save_clocks();
    let all_failed = asked > 0 && failed.len() == asked;
    let mut first = None;
    for (account_id, error) in failed {
        if !all_failed {
            let who = accounts
                .iter()
                .find(|a| a.id == account_id)
                .map_or(account_id.clone(), |a| a.describe());
            eprintln!("warning: {who}: {error}");
        }
        first.get_or_insert(error);
    }
    match first {
        Some(error) if all_failed => Err(error.into()),
        _ => Ok(waiting),
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
    let sites = Sites::open(data_dir)?;
    let found = collect(&sites, wait)?;
    if json {
        let listed: Vec<Pending<'_>> = found
            .iter()
            .map(|w| Pending {
                tx: &w.challenge.tx_id,
                account_id: &w.account_id,
                user_id: &w.challenge.user_id,
                site: &w.server,
                number_match: w.challenge.number_match,
                expires_at: w.challenge.expires,
            })
            .collect();
        return to_json(&listed);
    }
    let mut out = String::new();
    let now = now_ms();
    for w in &found {
        let c = &w.challenge;
        let left = c.expires.saturating_sub(now) / 1000;
        let number = if c.number_match {
            "  (type the number shown)"
        } else {
            ""
        };
        let ip = spse_protocol::text::ip_address(&c.ip);
        let browser = spse_protocol::text::browser(&c.user_agent);
        let _ = writeln!(
            out,
            "{}  Authorize login? {} on {} from {} ({}), {left} s left{number}",
            c.tx_id,
            c.user_id,
            w.server,
            ip.as_deref().unwrap_or("an unknown address"),
            browser.as_deref().unwrap_or("unknown browser"),
        );
    }
    Ok(out)
}

/// `spse-auth approve|deny|report TX`: prints what became of the login, in
/// the CLI's own words (`Login PPK2 diterima`).
pub(crate) fn decide(
    data_dir: Option<PathBuf>,
    tx: &str,
    decision: Decision,
    number: Option<&str>,
) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    let found = collect(&sites, 0)?;
    let waiting = found
        .into_iter()
        .find(|w| w.challenge.tx_id == tx)
        .ok_or_else(|| CliError::UnknownLogin(tx.to_owned()))?;
    let stored = sites
        .vault()
        .get(&waiting.account_id)
        .cloned()
        .ok_or_else(|| CliError::UnknownLogin(tx.to_owned()))?;
    let (server, device) =
        device_of(&stored)?.ok_or_else(|| CliError::NotEnrolled(stored.id.clone()))?;
    let answer =
        sites.block_on(
            sites
                .client
                .decide(&server, &device, &waiting.challenge, decision, number),
        );
    sites.save_clocks();
    let verb = match answer?.result {
        Outcome::Accepted => "diterima",
        Outcome::Denied => "ditolak",
        Outcome::Reported => "dilaporkan",
    };
    // The user ID is the account's own: the client refused any other.
    Ok(format!("Login {} {verb}\n", device.user_id))
}

/// `spse-auth status ID`: whether TOTP is still active for the account.
pub(crate) fn status(data_dir: Option<PathBuf>, id: &str) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    let stored = sites
        .vault()
        .get(id)
        .cloned()
        .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?;
    let (server, device) =
        device_of(&stored)?.ok_or_else(|| CliError::NotEnrolled(id.to_owned()))?;
    let status = sites.block_on(sites.client.device_status(&server, &device));
    sites.save_clocks();
    Ok(match status? {
        DeviceStatus::Active => "active\n",
        DeviceStatus::Disabled => "disabled\n",
        DeviceStatus::Removed => "removed\n",
    }
    .to_owned())
}
