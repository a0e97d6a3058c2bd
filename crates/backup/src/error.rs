//! The one error type of this crate: what went wrong with a file, said so a
//! user knows what to do (give the password, pick another file, update the
//! app), naming the format and never holding a secret or a password.

use crate::format::{Format, Limits};

/// Why a file could not be read. The `Display` text is English for the CLI;
/// the app maps [`Error::code`] to words in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// None of the formats SPSE Auth reads.
    #[error(
        "this file is not an export SPSE Auth can read (Aegis, 2FAS, Ente Auth, Bitwarden, \
         Proton Authenticator, andOTP, FreeOTP+, Google Authenticator, a list of otpauth:// \
         links, or an SPSE Auth backup)"
    )]
    Unrecognised,
    /// Larger than any real export; refused before parsing.
    #[error("the file is larger than {max} bytes: no authenticator export is this big")]
    TooLarge {
        /// The limit, in bytes.
        max: usize,
    },
    /// The file is encrypted and no password was given.
    #[error("{format}: this file is encrypted: give the password it was exported with")]
    PasswordNeeded {
        /// The format found.
        format: Format,
    },
    /// The password does not open the file (or the file was changed after it
    /// was sealed: authenticated encryption cannot tell the two apart).
    #[error("{format}: wrong password, or the file was changed after it was made")]
    WrongPassword {
        /// The format found.
        format: Format,
    },
    /// The format was recognised but its content is broken or truncated.
    #[error("{format}: the file is damaged: {what}")]
    Damaged {
        /// The format found.
        format: Format,
        /// What is wrong, in words with no secret in them (`header.params.salt: not hex`).
        what: String,
    },
    /// A version of the format newer than this build reads.
    #[error(
        "{format}: version {version} is newer than this build of SPSE Auth reads: update the app"
    )]
    NewerVersion {
        /// The format found.
        format: Format,
        /// The version the file says it is.
        version: String,
    },
    /// A kind of file of a known app that cannot be opened here, with why
    /// (a Bitwarden export sealed with the account's own key).
    #[error("{format}: {what}")]
    Unsupported {
        /// The format found.
        format: Format,
        /// What cannot be done, and what to do instead.
        what: String,
    },
    /// The file's password derivation asks for more memory than this device
    /// gives it; trying would get the app killed.
    #[error(
        "{format}: opening this file's password needs {asked_mib} MiB of memory, more than the \
         {limit_mib} MiB this device allows: export it again from the other app on a newer \
         version, or open it on a computer"
    )]
    TooMuchMemory {
        /// The format found.
        format: Format,
        /// What the file asks, in MiB.
        asked_mib: u64,
        /// What [`crate::Limits`] allows, in MiB.
        limit_mib: u64,
    },
    /// A password for a backup or an export shorter than
    /// [`crate::backup::MIN_PASSWORD_CHARS`]: it is all that stands between
    /// whoever gets the file and every secret in it.
    #[error(
        "the password must have at least {min} characters: it is all that protects the secrets \
         in the file"
    )]
    PasswordTooShort {
        /// The fewest characters accepted.
        min: usize,
    },
    /// The file's password derivation asks for more passes or lanes than
    /// SPSE Auth ever writes: a hostile file would keep the device busy for
    /// minutes. Refused before any derivation.
    #[error("{format}: the file's password derivation parameters are out of range: {what}")]
    KdfParams {
        /// The format found.
        format: Format,
        /// Which parameter, and its bounds.
        what: String,
    },
    /// The system's random number generator failed, so nothing could be
    /// sealed safely (a key, salt or nonce would repeat).
    #[error("the system's random number generator failed: nothing was written")]
    NoRandomness,
}

impl Error {
    /// A stable name for the app to map to words (`importWrongPassword`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unrecognised => "importUnrecognised",
            Error::TooLarge { .. } => "importTooLarge",
            Error::PasswordNeeded { .. } => "importPasswordNeeded",
            Error::WrongPassword { .. } => "importWrongPassword",
            Error::Damaged { .. } => "importDamaged",
            Error::NewerVersion { .. } => "importNewerVersion",
            Error::Unsupported { .. } => "importUnsupported",
            Error::TooMuchMemory { .. } => "importTooMuchMemory",
            Error::PasswordTooShort { .. } => "exportPasswordTooShort",
            Error::KdfParams { .. } => "importKdfParams",
            Error::NoRandomness => "exportNoRandomness",
        }
    }

    /// The format the error is about, when one was recognised.
    pub fn format(&self) -> Option<Format> {
        match self {
            Error::Unrecognised
            | Error::TooLarge { .. }
            | Error::PasswordTooShort { .. }
            | Error::NoRandomness => None,
            Error::PasswordNeeded { format }
            | Error::WrongPassword { format }
            | Error::Damaged { format, .. }
            | Error::NewerVersion { format, .. }
            | Error::Unsupported { format, .. }
            | Error::TooMuchMemory { format, .. }
            | Error::KdfParams { format, .. } => Some(*format),
        }
    }

    /// A [`Error::Damaged`] of `format`.
    pub(crate) fn damaged(format: Format, what: impl Into<String>) -> Error {
        Error::Damaged {
            format,
            what: what.into(),
        }
    }
}

/// This crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The limit a derivation is held to, as the error it raises.
impl Limits {
    /// Refuses a derivation that asks `asked_bytes` of memory over the limit.
    pub(crate) fn check_memory(&self, format: Format, asked_bytes: u64) -> Result<()> {
        let asked_mib = asked_bytes.div_ceil(1024 * 1024);
        if asked_mib > self.kdf_memory_mib {
            return Err(Error::TooMuchMemory {
                format,
                asked_mib,
                limit_mib: self.kdf_memory_mib,
            });
        }
        Ok(())
    }
}
