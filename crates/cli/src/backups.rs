//! `backup`, `restore`, `import` and `export`: moving accounts to a new
//! device (SPSE Auth's own sealed backup, docs/backup.md) and in from or out
//! to other authenticators. Passwords come from a prompt without echo or a
//! file (`--password-file`), never the command line.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use spse_backup::{Format, Limits, backup, export};
use spse_otp::Account;
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::prompt::confirm;
use crate::sites::Sites;

/// Where a password comes from.
pub(crate) struct Password<'a> {
    /// `--password-file`: its first line.
    pub(crate) file: Option<&'a Path>,
}

impl Password<'_> {
    /// The password: the file's first line, or asked at the terminal
    /// (twice when `twice`, for a new password).
    fn get(&self, what: &str, twice: bool) -> Result<Zeroizing<String>, CliError> {
        if let Some(path) = self.file {
            let text = Zeroizing::new(
                std::fs::read_to_string(path).map_err(|e| CliError::File(path.to_owned(), e))?,
            );
            let line = text.lines().next().unwrap_or_default();
            return Ok(Zeroizing::new(line.to_owned()));
        }
        if !std::io::stdin().is_terminal() {
            return Err(CliError::Password(format!(
                "{what} needs a password and there is no terminal to ask on: pass --password-file FILE"
            )));
        }
        let first = Zeroizing::new(
            rpassword::prompt_password(format!("Password for {what}: "))
                .map_err(CliError::Stdin)?,
        );
        if twice {
            let again = Zeroizing::new(
                rpassword::prompt_password("The same password again: ").map_err(CliError::Stdin)?,
            );
            if *again != *first {
                return Err(CliError::Password("the two passwords differ".into()));
            }
        }
        Ok(first)
    }
}

/// `spse-auth backup FILE`: every account sealed with a password, device
/// keys included, so a new device carries on with codes and approvals.
pub(crate) fn backup(
    data_dir: Option<PathBuf>,
    file: &Path,
    password: &Password<'_>,
    yes: bool,
) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    if file.exists() {
        confirm(
            yes,
            &format!("file: {} exists and will be replaced", file.display()),
        )?;
    }
    let password = password.get("the backup", true)?;
    let vault = sites.vault();
    let contents = vault.backup_contents();
    let sealed = backup::seal(&contents, &password, backup::KdfParams::DEFAULT)?;
    spse_vault::write_file(file, &sealed)?;
    vault.mark_backed_up()?;
    let count = vault.accounts().iter().filter(|a| !a.is_pending()).count();
    Ok(format!(
        "backed up {count} account{} to {}\n",
        if count == 1 { "" } else { "s" },
        file.display()
    ))
}

/// `spse-auth restore FILE`: the accounts of a backup that are not here yet.
pub(crate) fn restore(
    data_dir: Option<PathBuf>,
    file: &Path,
    password: &Password<'_>,
) -> Result<String, CliError> {
    let bytes = read(file)?;
    let found = spse_backup::detect(&bytes)?;
    if found.format != Format::SpseBackup {
        return Err(CliError::Usage(format!(
            "file: {} is a {} export, not an SPSE Auth backup: use `spse-auth import`",
            file.display(),
            found.format
        )));
    }
    let sites = Sites::open(data_dir)?;
    let password = password.get("the backup", false)?;
    let plaintext = backup::open(&bytes, &password, &Limits::default())?;
    let accounts = spse_vault::read_backup_contents(&plaintext)?;
    let done = sites.vault().restore(accounts)?;
    Ok(lines(&done))
}

/// `spse-auth import FILE`: the accounts of another app's export, shown
/// first, added once confirmed (`--yes`), those already here skipped.
pub(crate) fn import(
    data_dir: Option<PathBuf>,
    file: &Path,
    password: &Password<'_>,
    yes: bool,
) -> Result<String, CliError> {
    let bytes = read(file)?;
    let found = spse_backup::detect(&bytes)?;
    if found.format == Format::SpseBackup {
        return Err(CliError::Usage(format!(
            "file: {} is an SPSE Auth backup: use `spse-auth restore`",
            file.display()
        )));
    }
    let sites = Sites::open(data_dir)?;
    let password = if found.encrypted {
        Some(password.get(&format!("the {} export", found.format), false)?)
    } else {
        None
    };
    let imported = spse_backup::read(
        &bytes,
        password.as_deref().map(String::as_str),
        &Limits::default(),
    )?;
    let mut preview = String::new();
    {
        let vault = sites.vault();
        for account in &imported.accounts {
            let held = vault.holds(account, None);
            let _ = writeln!(
                preview,
                "{} {} ({})",
                if held { "already here:" } else { "will add:" },
                who(account),
                account.kind().as_str()
            );
        }
    }
    for skipped in &imported.skipped {
        let name = match &skipped.issuer {
            Some(issuer) => format!("{issuer}:{}", skipped.name),
            None => skipped.name.clone(),
        };
        let _ = writeln!(preview, "cannot import: {name}: {}", skipped.reason);
    }
    eprint!("{preview}");
    confirm(
        yes,
        &format!(
            "import: add the accounts above from this {} file",
            imported.format
        ),
    )?;
    let done = sites.vault().import(imported.accounts)?;
    Ok(lines(&done))
}

/// The export formats for leaving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExportFormat {
    /// Aegis's vault, encrypted with a password (Aegis, Ente Auth and
    /// Proton Authenticator import it).
    Aegis,
    /// Aegis's vault, unencrypted (2FAS imports only this).
    AegisPlain,
    /// `otpauth://` links, one a line, unencrypted.
    Otpauth,
}

/// `spse-auth export --format F FILE`: every account's codes for another
/// app; SPSE accounts go without their device key (approvals stay here).
pub(crate) fn export(
    data_dir: Option<PathBuf>,
    format: ExportFormat,
    file: &Path,
    password: &Password<'_>,
    yes: bool,
) -> Result<String, CliError> {
    let sites = Sites::open(data_dir)?;
    if format != ExportFormat::Aegis {
        confirm(
            yes,
            &format!(
                "export: {} will hold every secret unencrypted: anyone with the file can make your codes",
                file.display()
            ),
        )?;
    }
    if file.exists() {
        confirm(
            yes,
            &format!("file: {} exists and will be replaced", file.display()),
        )?;
    }
    let vault = sites.vault();
    let kept: Vec<_> = vault
        .accounts()
        .iter()
        .filter(|a| !a.is_pending())
        .collect();
    let accounts: Vec<Account> = kept.iter().map(|a| a.account.clone()).collect();
    let spse = kept.iter().filter(|a| a.site.is_some()).count();
    let bytes = match format {
        ExportFormat::Aegis => {
            let password = password.get("the Aegis export", true)?;
            Zeroizing::new(export::aegis_encrypted(&accounts, &password)?)
        }
        ExportFormat::AegisPlain => export::aegis_plain(&accounts),
        ExportFormat::Otpauth => export::otpauth_list(&accounts),
    };
    spse_vault::write_file(file, &bytes)?;
    let mut out = format!(
        "exported {} accounts to {}\n",
        accounts.len(),
        file.display()
    );
    if spse > 0 {
        let _ = writeln!(
            out,
            "note: {spse} SPSE account{} exported as codes only: their device key stays here, so \
             logins are still approved with SPSE Auth",
            if spse == 1 { " is" } else { "s are" }
        );
    }
    Ok(out)
}

fn read(file: &Path) -> Result<Vec<u8>, CliError> {
    let meta = std::fs::metadata(file).map_err(|e| CliError::File(file.to_owned(), e))?;
    if meta.len() > spse_backup::MAX_FILE_LEN as u64 {
        return Err(spse_backup::Error::TooLarge {
            max: spse_backup::MAX_FILE_LEN,
        }
        .into());
    }
    std::fs::read(file).map_err(|e| CliError::File(file.to_owned(), e))
}

fn who(account: &Account) -> String {
    match account.issuer() {
        Some(issuer) => format!("{issuer}:{}", account.name()),
        None => account.name().to_owned(),
    }
}

/// `added <id>` and `skipped <issuer>:<name> (already here)` lines.
fn lines(done: &spse_vault::Added) -> String {
    let mut out = String::new();
    for id in &done.added {
        let _ = writeln!(out, "added {id}");
    }
    for who in &done.already {
        let _ = writeln!(out, "skipped {who} (already here)");
    }
    out
}
