//! The commands over the vault: `add`, `list`, `codes`, `remove`.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;
use spse_otp::{Account, Kind, Payload};
use spse_vault::{Keystore, Recovery, Site, StoredAccount, Vault};

use crate::error::CliError;
use crate::payloads::{now, read_payload};
use crate::prompt::confirm;

/// Opens the vault in `--data-dir` (or the platform data folder), warning on
/// stderr when it had to be opened from its backup.
fn open(data_dir: Option<PathBuf>) -> Result<Vault, CliError> {
    let dir = match data_dir {
        Some(dir) => dir,
        None => dirs::data_dir()
            .ok_or(CliError::NoDataDir)?
            .join("spse-auth"),
    };
    let vault = Vault::open(&dir, Keystore::platform()?)?;
    if let Some(Recovery { reason, damaged }) = vault.recovery() {
        eprintln!(
            "warning: {} was {reason:?}; opened the backup, which may lack the last change \
             (the damaged file is kept)",
            damaged.display()
        );
    }
    Ok(vault)
}

/// `spse-auth add`: stores every account of the payload.
pub(crate) fn add(
    data_dir: Option<PathBuf>,
    argument: &str,
    yes: bool,
) -> Result<String, CliError> {
    let payload = read_payload(argument)?;
    let (accounts, site): (Vec<Account>, Option<Site>) = match payload {
        Payload::Spse(enrollment) => {
            if enrollment.server.is_training() {
                confirm(
                    yes,
                    &format!(
                        "server: {} is a training server over plain http",
                        enrollment.server
                    ),
                )?;
            }
            let site = Site {
                server: enrollment.server.as_str().to_owned(),
                name: enrollment.account.issuer().map(str::to_owned),
                training: enrollment.server.is_training(),
            };
            (vec![enrollment.account], Some(site))
        }
        Payload::Otpauth(account) => (vec![account], None),
        Payload::Migration(accounts) => (accounts, None),
    };
    let mut vault = open(data_dir)?;
    let mut out = String::new();
    for account in accounts {
        let id = match vault.add(account.clone(), site.clone(), yes) {
            Err(spse_vault::Error::AlreadyExists { what, .. }) => {
                confirm(
                    false,
                    &format!("account: {what} is already in the vault and will be replaced"),
                )?;
                vault.add(account, site.clone(), true)?
            }
            other => other?,
        };
        let _ = writeln!(out, "added {id}");
    }
    Ok(out)
}

/// Who an account is, as both JSON listings start.
#[derive(Serialize)]
struct Who<'a> {
    id: &'a str,
    site: Option<&'a str>,
    issuer: Option<&'a str>,
    account: &'a str,
}

impl<'a> From<&'a StoredAccount> for Who<'a> {
    fn from(stored: &'a StoredAccount) -> Who<'a> {
        Who {
            id: &stored.id,
            site: stored.site.as_ref().map(|s| s.server.as_str()),
            issuer: stored.account.issuer(),
            account: stored.account.name(),
        }
    }
}

/// One account as `list --json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    who: Who<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
    digits: u8,
    period: Option<u32>,
}

impl<'a> From<&'a StoredAccount> for Listed<'a> {
    fn from(stored: &'a StoredAccount) -> Listed<'a> {
        Listed {
            who: Who::from(stored),
            kind: stored.account.kind().as_str(),
            digits: stored.account.digits(),
            period: match stored.account.kind() {
                Kind::Totp { period } => Some(period),
                Kind::Hotp { .. } => None,
            },
        }
    }
}

/// `spse-auth list`.
pub(crate) fn list(data_dir: Option<PathBuf>, json: bool) -> Result<String, CliError> {
    let vault = open(data_dir)?;
    if json {
        let listed: Vec<Listed<'_>> = vault.accounts().iter().map(Listed::from).collect();
        return to_json(&listed);
    }
    Ok(grouped(&vault, |stored| {
        format!("{}  {}", stored.id, shown_name(stored))
    }))
}

/// One account as `codes --json` prints it.
#[derive(Serialize)]
struct Coded<'a> {
    #[serde(flatten)]
    who: Who<'a>,
    code: String,
    seconds_left: Option<u64>,
}

/// `spse-auth codes`.
pub(crate) fn codes(data_dir: Option<PathBuf>, json: bool) -> Result<String, CliError> {
    let vault = open(data_dir)?;
    let at = now();
    if json {
        let coded: Vec<Coded<'_>> = vault
            .accounts()
            .iter()
            .map(|stored| Coded {
                who: Who::from(stored),
                code: stored.account.code_at(at).to_string(),
                seconds_left: stored.account.seconds_left(at),
            })
            .collect();
        return to_json(&coded);
    }
    Ok(grouped(&vault, |stored| {
        let code = stored.account.code_at(at).grouped();
        match stored.account.seconds_left(at) {
            Some(left) => format!("{code}  {}  ({left} s)", shown_name(stored)),
            None => format!("{code}  {}", shown_name(stored)),
        }
    }))
}

/// `spse-auth remove`.
pub(crate) fn remove(data_dir: Option<PathBuf>, id: &str, yes: bool) -> Result<String, CliError> {
    let mut vault = open(data_dir)?;
    let stored = vault
        .get(id)
        .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?;
    confirm(
        yes,
        &format!(
            "remove: {} will be deleted with its secret; disable TOTP on the site first",
            stored.describe()
        ),
    )?;
    vault.remove(id)?;
    Ok(format!("removed {id}\n"))
}

/// The list as text: a heading per SPSE site, then `line` for each account.
fn grouped(vault: &Vault, line: impl Fn(&StoredAccount) -> String) -> String {
    let mut out = String::new();
    for group in vault.groups() {
        let heading = group
            .site
            .map_or("Other accounts / Akun lain", |s| s.server.as_str());
        let _ = writeln!(out, "{heading}");
        for stored in group.accounts {
            let _ = writeln!(out, "  {}", line(stored));
        }
    }
    out
}

fn shown_name(stored: &StoredAccount) -> String {
    match (&stored.label, &stored.site, stored.account.issuer()) {
        (Some(label), _, _) => label.clone(),
        (None, Some(_), _) | (None, None, None) => stored.account.name().to_owned(),
        (None, None, Some(issuer)) => format!("{issuer}: {}", stored.account.name()),
    }
}

fn to_json(value: &impl Serialize) -> Result<String, CliError> {
    let mut text = serde_json::to_string(value).map_err(|e| CliError::Output(e.into()))?;
    text.push('\n');
    Ok(text)
}
