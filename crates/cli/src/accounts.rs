//! The commands over the vault: `add`, `list`, `codes`, `remove`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use spse_accounts::removal::{self, SiteCheck};
use spse_accounts::{EnrollOptions, sites::code_time};
use spse_client::now_ms;
use spse_otp::{Enrollment, Payload};
use spse_protocol::text::shown;
use spse_vault::{StoredAccount, Vault};

use crate::error::CliError;
use crate::payloads::{Input, read_payload};
use crate::prompt::confirm;
use crate::sites::{Sites, read_root};

/// How the site lists this device.
const DEVICE_NAME: &str = "spse-auth (command line)";
/// The longest site name printed, in characters.
const MAX_SITE_NAME: usize = 100;

/// `spse-auth add`: an SPSE payload enrolls with its site (and is kept only
/// once the site confirmed it), other payloads are stored as codes-only
/// accounts.
pub(crate) fn add(
    data_dir: Option<PathBuf>,
    input: &Input,
    yes: bool,
    trust_root: Option<&Path>,
) -> Result<String, CliError> {
    let root = trust_root.map(read_root).transpose()?;
    let payload = read_payload(input)?;
    for account in payload.accounts() {
        account.check_visible()?;
    }
    let sites = Sites::open(data_dir)?;
    let accounts = match payload {
        Payload::Spse(enrollment) => return enroll(&sites, &enrollment, yes, root),
        Payload::Otpauth(account) => vec![account],
        Payload::Migration(accounts) => accounts,
    };
    if root.is_some() {
        return Err(CliError::Usage(
            "trust-root: only an SPSE enrollment QR code names a site to trust it for".into(),
        ));
    }
    let mut out = String::new();
    let mut vault = sites.vault();
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
fn enroll(
    sites: &Sites,
    enrollment: &Enrollment,
    yes: bool,
    trust_root: Option<Vec<u8>>,
) -> Result<String, CliError> {
    let server = enrollment.server.as_str();
    if enrollment.server.is_training() {
        confirm(
            yes,
            &format!("server: {server} is a training server over plain http"),
        )?;
    }
    let probe = spse_vault::Site::new(server, enrollment.server.is_training());
    let existing = sites
        .vault()
        .accounts()
        .iter()
        .find(|a| !a.is_pending() && a.same_as(&enrollment.account, Some(&probe)))
        .map(StoredAccount::describe);
    let replace = match existing {
        Some(existing) => {
            confirm(yes, &replaced(&existing))?;
            true
        }
        None => false,
    };
    let options = EnrollOptions {
        device_name: DEVICE_NAME.to_owned(),
        replace,
        trust_root,
    };
    let added = sites.block_on(spse_accounts::enroll(
        &sites.vault,
        &sites.client,
        enrollment,
        options,
    ));
    sites.save_clocks();
    let added = added?;
    let name = added
        .site_name
        .map(|name| format!(" ({})", shown(&name, MAX_SITE_NAME)))
        .unwrap_or_default();
    eprintln!("Akun pada {server}{name} berhasil ditambahkan / account added on {server}");
    Ok(format!("added {}\n", added.id))
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
    /// The site has not confirmed its enrollment yet.
    pending: bool,
}

impl<'a> From<&'a StoredAccount> for Listed<'a> {
    fn from(stored: &'a StoredAccount) -> Listed<'a> {
        Listed {
            who: Who::from(stored),
            kind: stored.account.kind().as_str(),
            digits: stored.account.digits(),
            period: stored.account.kind().period(),
            pending: stored.is_pending(),
        }
    }
}

/// `spse-auth list`.
pub(crate) fn list(data_dir: Option<PathBuf>, json: bool) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    let vault = sites.vault();
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

/// `spse-auth codes`: an enrolled account's code follows its site's clock
/// when this machine's is known to be off by more than 5 s.
pub(crate) fn codes(data_dir: Option<PathBuf>, json: bool) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    let vault = sites.vault();
    let now = now_ms();
    let at = |stored: &StoredAccount| code_time(&vault, stored, now) / 1000;
    if json {
        let coded: Vec<Coded<'_>> = vault
            .accounts()
            .iter()
            .map(|stored| Coded {
                who: Who::from(stored),
                code: stored.account.code_at(at(stored)).to_string(),
                seconds_left: stored.account.seconds_left(at(stored)),
            })
            .collect();
        return to_json(&coded);
    }
    Ok(grouped(&vault, |stored| {
        let code = stored.account.code_at(at(stored)).grouped();
        match stored.account.seconds_left(at(stored)) {
            Some(left) => format!("{code}  {}  ({left} s)", shown_name(stored)),
            None => format!("{code}  {}", shown_name(stored)),
        }
    }))
}

/// `spse-auth remove`: asks the site first whether TOTP is still on, and
/// warns that removing then locks the user out (or that the site could not
/// say); tells the site to forget the device once the account is gone.
pub(crate) fn remove(data_dir: Option<PathBuf>, id: &str, yes: bool) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    let stored = sites
        .vault()
        .get(id)
        .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?
        .clone();
    let check = sites.block_on(removal::check(&sites.client, &stored))?;
    let question = match check {
        SiteCheck::StillActive => format!(
            "remove: TOTP is still active for {}; removing it locks you out of the site until you \
             use \"Reset TOTP\" there",
            stored.describe()
        ),
        SiteCheck::Safe => format!(
            "remove: {} will be deleted with its secret",
            stored.describe()
        ),
        SiteCheck::NoSite => format!(
            "remove: {} will be deleted with its secret; disable TOTP on the site first",
            stored.describe()
        ),
        SiteCheck::Unknown(e) => format!(
            "remove: the site could not say whether TOTP is still active for {} ({e}); if it is, \
             removing it locks you out of the site until you use \"Reset TOTP\" there",
            stored.describe()
        ),
    };
    confirm(yes, &question)?;
    sites.vault().remove(id)?;
    if let Err(e) = sites.block_on(removal::forget_device(&sites.client, &stored)) {
        eprintln!("warning: the site was not told to forget this device: {e}");
    }
    sites.save_clocks();
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
            let pending = if stored.is_pending() {
                "  (enrollment not confirmed yet)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {}{pending}", line(stored));
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

pub(crate) fn to_json(value: &impl Serialize) -> Result<String, CliError> {
    let mut text = serde_json::to_string(value).map_err(|e| CliError::Output(e.into()))?;
    text.push('\n');
    Ok(text)
}
