//! Which app wrote a file, and what reading it may cost: the words every
//! reader, the backup and the errors share (so that none of them depends on
//! another for them).

use std::fmt;

/// The largest file read: the biggest real export (hundreds of accounts with
/// icons) is a few MB.
pub const MAX_FILE_LEN: usize = 32 * 1024 * 1024;

/// The app (and its format) a file was written by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Aegis's vault export (JSON, plain or password-sealed), and its plain
    /// text export of `otpauth://` links.
    Aegis,
    /// 2FAS's `.2fas` backup (JSON, plain or password-sealed).
    TwoFas,
    /// Ente Auth's export: `otpauth://` links, or its password-sealed JSON.
    Ente,
    /// Bitwarden's and Bitwarden Authenticator's exports (JSON or CSV).
    Bitwarden,
    /// Proton Authenticator's export (JSON, plain or password-sealed).
    Proton,
    /// andOTP's backup (JSON, or its password-sealed binary file).
    AndOtp,
    /// FreeOTP+'s JSON export.
    FreeOtpPlus,
    /// FreeOTP's token store (`tokens.xml`, FreeOTP 1.x and FreeOTP+'s
    /// internal file); FreeOTP 2's backup is recognised and refused.
    FreeOtp,
    /// Google Authenticator's "Transfer accounts" export, as
    /// `otpauth-migration://` text.
    GoogleAuthenticator,
    /// A text file of `otpauth://` links, one a line.
    OtpauthList,
    /// SPSE Auth's own backup: restored, not imported (it holds SPSE device
    /// keys an import would drop).
    SpseBackup,
}

impl Format {
    /// The app's name as its users know it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Aegis => "Aegis",
            Format::TwoFas => "2FAS",
            Format::Ente => "Ente Auth",
            Format::Bitwarden => "Bitwarden",
            Format::Proton => "Proton Authenticator",
            Format::AndOtp => "andOTP",
            Format::FreeOtpPlus => "FreeOTP+",
            Format::FreeOtp => "FreeOTP",
            Format::GoogleAuthenticator => "Google Authenticator",
            Format::OtpauthList => "otpauth:// list",
            Format::SpseBackup => "SPSE Auth backup",
        }
    }

    /// A stable name for the app and the CLI (`aegis`, `twofas`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Format::Aegis => "aegis",
            Format::TwoFas => "twofas",
            Format::Ente => "ente",
            Format::Bitwarden => "bitwarden",
            Format::Proton => "proton",
            Format::AndOtp => "andotp",
            Format::FreeOtpPlus => "freeotpplus",
            Format::FreeOtp => "freeotp",
            Format::GoogleAuthenticator => "google",
            Format::OtpauthList => "otpauth",
            Format::SpseBackup => "spse",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What [`detect`](crate::detect) found: which format, and whether it needs a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The format.
    pub format: Format,
    /// Whether [`read`](crate::read) needs a password.
    pub encrypted: bool,
}

/// What the device can give a file's password derivation. Ente's older
/// exports ask Argon2id for up to 1 GiB: a phone with less is killed rather
/// than told, so the caller says what it has and such files are refused with
/// [`Error::TooMuchMemory`](crate::Error::TooMuchMemory) before any memory is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most memory a key derivation may use, in MiB.
    pub kdf_memory_mib: u64,
}

impl Default for Limits {
    /// 1 GiB: what a computer gives without trouble.
    fn default() -> Limits {
        Limits {
            kdf_memory_mib: 1024,
        }
    }
}
