//! The commands over the vault: `add`, `list`, `codes`, `remove`.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;
use spse_client::Device;
use spse_otp::{Enrollment, Kind, Payload};
use spse_protocol::DeviceKey;
use spse_protocol::wire::DeviceStatus;
use spse_vault::{DeviceIdentity, Keystore, Recovery, Site, StoredAccount, Vault};
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::payloads::{now, read_payload};
use crate::prompt::confirm;
use crate::sites;

/// Opens the vault in `--data-dir` (or the platform data folder), warning on
/// stderr when it had to be opened from its backup.
pub(crate) fn open(data_dir: Option<PathBuf>) -> Result<Vault, CliError> {
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

/// `spse-auth add`: an SPSE payload enrolls with its site, then is stored
/// with its device identity; other payloads are stored as codes-only accounts.
pub(crate) fn add(
    data_dir: Option<PathBuf>,
    argument: &str,
    yes: bool,
) -> Result<String, CliError> {
    let payload = read_payload(argument)?;
    let mut vault = open(data_dir)?;
    let accounts = match payload {
        Payload::Spse(enrollment) => return enroll(&mut vault, &enrollment, yes),
        Payload::Otpauth(account) => vec![account],
        Payload::Migration(accounts) => accounts,
    };
    let mut out = String::new();
    for account in accounts {
        let id = match vault.add(account.clone(), None, yes) {
            Err(spse_vault::Error::AlreadyExists { what, .. }) => {
                confirm(false, &replaced(&what))?;
                vault.add(account, None, true)?
            }
            other => other?,
        };
        let _ = writeln!(out, "added {id}");
    }
    Ok(out)
}

fn replaced(what: &str) -> String {
    format!("account: {what} is already in the vault and will be replaced")
}

/// Enrolls the QR's account with its SPSE site and stores it. Everything
/// that needs the user's word is asked first: the token is single use.
fn enroll(vault: &mut Vault, enrollment: &Enrollment, yes: bool) -> Result<String, CliError> {
    let server = enrollment.server.as_str();
    if enrollment.server.is_training() {
        confirm(
            yes,
            &format!("server: {server} is a training server over plain http"),
        )?;
    }
    let probe = Site {
        server: server.to_owned(),
        name: None,
        training: enrollment.server.is_training(),
        device: None,
    };
    let existing = vault
        .accounts()
        .iter()
        .find(|a| a.same_as(&enrollment.account, Some(&probe)));
    let replace = match existing {
        Some(existing) => {
            confirm(yes, &replaced(&existing.describe()))?;
            true
        }
        None => false,
    };
    let enrolled = runtime()?.block_on(sites::client()?.enroll(enrollment, DEVICE_NAME))?;
    let site = Site {
        name: Some(enrolled.site_name),
        device: Some(DeviceIdentity {
            id: enrolled.device.device_id,
            key: Zeroizing::new(enrolled.device.key.pkcs8().to_vec()),
        }),
        ..probe
    };
    let id = vault.add(enrollment.account.clone(), Some(site), replace)?;
    eprintln!("Akun pada {server} berhasil ditambahkan / account added on {server}");
    Ok(format!("added {id}\n"))
}

/// How the site lists this device.
const DEVICE_NAME: &str = "spse-auth (command line)";

/// A runtime for the network calls of one command.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
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

/// `spse-auth remove`: asks the site first whether TOTP is still on, and
/// warns that removing then locks the user out; tells the site to forget the
/// device once the account is gone.
pub(crate) fn remove(data_dir: Option<PathBuf>, id: &str, yes: bool) -> Result<String, CliError> {
    let mut vault = open(data_dir)?;
    let stored = vault
        .get(id)
        .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?
        .clone();
    let enrolled = enrolled_device(&stored)?;
    let client = sites::client()?;
    let runtime = runtime()?;
    let question = match &enrolled {
        Some((server, device)) => match runtime.block_on(client.device_status(server, device)) {
            Ok(DeviceStatus::Active) => format!(
                "remove: TOTP is still active for {}; removing it locks you out of the site \
                 until you use \"Reset TOTP\" there",
                stored.describe()
            ),
            Ok(_) | Err(spse_client::Error::Server { .. }) => deleted(&stored),
            Err(e) => format!(
                "remove: {e}, so TOTP may still be active; {}",
                deleted(&stored)
            ),
        },
        None => deleted(&stored),
    };
    confirm(yes, &question)?;
    vault.remove(id)?;
    if let Some((server, device)) = &enrolled
        && let Err(e) = runtime.block_on(client.unenroll(server, device))
    {
        eprintln!("warning: the site was not told to forget this device: {e}");
    }
    Ok(format!("removed {id}\n"))
}

fn deleted(stored: &StoredAccount) -> String {
    format!(
        "remove: {} will be deleted with its secret; disable TOTP on the site first",
        stored.describe()
    )
}

/// The site and device of an enrolled SPSE account; `None` for others.
pub(crate) fn enrolled_device(
    stored: &StoredAccount,
) -> Result<Option<(String, Device)>, CliError> {
    let Some(site) = &stored.site else {
        return Ok(None);
    };
    let Some(identity) = &site.device else {
        return Ok(None);
    };
    let key = DeviceKey::from_pkcs8(identity.key.clone())
        .map_err(|e| CliError::Site(spse_client::Error::Key(e)))?;
    Ok(Some((
        site.server.clone(),
        Device {
            device_id: identity.id.clone(),
            key,
        },
    )))
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
