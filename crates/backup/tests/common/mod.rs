//! What every importer test shares: the real export files of other apps in
//! `../shared/import-fixtures/` (beside the checkout; never copied into the
//! project), and one way of writing an account down to compare it.

#![allow(dead_code)]

use std::path::PathBuf;

use spse_otp::{Account, Kind};

/// The canonical list: the seven accounts every Aegis importer test expects
/// (beemdevelopment/Aegis `DatabaseImporterTest`'s vectors, HOTP counters
/// as the exports keep them), one line each as [`line`] writes them. The
/// apps whose fixtures hold these (Aegis, 2FAS, andOTP, FreeOTP 2, the
/// plain text list) are compared with it, in the order each file keeps.
pub(crate) const VECTORS: &[&str] = &[
    "totp SHA1 6 30 Deno|Mason 4SJHB4GSD43FZBAI7C2HLRJGPQ",
    "totp SHA256 7 20 SPDX|James 5OM4WOOGPLQEF6UGN3CPEOOLWU",
    "totp SHA512 8 50 Airbnb|Elijah 7ELGJSGXNCCTV3O6LKJWYFV2RA",
    "hotp SHA1 6 1 Issuu|James YOOMIXWS5GN6RTBPUFFWKTW5M4",
    "hotp SHA256 7 50 Air Canada|Benjamin KUVJJOM753IHTNDSZVCNKL7GII",
    "hotp SHA512 8 10300 WWE|Mason 5VAML3X35THCEBVRLV24CGBKOY",
    "steam SHA1 5 30 Boeing|Sophia JRZCL47CMXVOQMNPZR2F7J4RGI",
];

/// The fixtures folder: `SPSE_IMPORT_FIXTURES`, or `shared/import-fixtures`
/// beside the checkout (or beside a folder above it, for a clone made
/// inside the work tree).
pub(crate) fn fixtures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SPSE_IMPORT_FIXTURES") {
        return PathBuf::from(dir);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    root.ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/import-fixtures"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| root.join("../shared/import-fixtures"))
}

/// The bytes of fixture `path` (`aegis/aegis-upstream_aegis_plain.json`),
/// or `None` with a line saying the test is skipped when the folder is not
/// there (a checkout without `../shared`).
pub(crate) fn fixture(path: &str) -> Option<Vec<u8>> {
    let dir = fixtures_dir();
    if !dir.is_dir() {
        println!(
            "skipped: {} is not here (the import fixtures live beside the checkout)",
            dir.display()
        );
        return None;
    }
    match std::fs::read(dir.join(path)) {
        Ok(bytes) => Some(bytes),
        Err(e) => panic!("fixture {path}: {e}"),
    }
}

/// One account in one line, secret included, for comparing with what the
/// upstream tests expect: `totp SHA1 6 30 Issuer|name SECRET`, the last
/// number the counter for HOTP, `steam SHA1 5 30 ...` for Steam.
pub(crate) fn line(account: &Account) -> String {
    let step = match account.kind() {
        Kind::Totp { period } => period.to_string(),
        Kind::Hotp { counter } => counter.to_string(),
        Kind::Steam => "30".to_string(),
    };
    format!(
        "{} {} {} {} {}|{} {}",
        account.kind().as_str(),
        account.algorithm().as_str(),
        account.digits(),
        step,
        account.issuer().unwrap_or(""),
        account.name(),
        account.secret().to_base32().as_str(),
    )
}

/// Every account of an import as [`line`]s.
pub(crate) fn lines(accounts: &[Account]) -> Vec<String> {
    accounts.iter().map(line).collect()
}
