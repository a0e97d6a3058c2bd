//! The one error every command rejects with: `{ code, message }`, `code`
//! one of [`ErrorCode::ALL`] (camelCase, the `ERROR_CODES` of
//! `ui/src/lib/ipc.ts`), `message` the English detail from the crate that
//! failed. No crate puts a secret in its error texts, and neither does this
//! module.

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident => $text:literal,)*) => {
        /// Every error code the app sends, as `ipc.ts` lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every code, in the order of `ipc.ts`.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as the UI knows it (camelCase).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    KeystoreUnavailable => "keystoreUnavailable",
    KeyMissing => "keyMissing",
    KeyWrong => "keyWrong",
    VaultTampered => "vaultTampered",
    VaultCorrupt => "vaultCorrupt",
    VaultTooNew => "vaultTooNew",
    Io => "io",
    NotDurable => "notDurable",
    AccountExists => "accountExists",
    AccountNotFound => "accountNotFound",
    BadName => "badName",
    EnrolledNotSaved => "enrolledNotSaved",
    EnrollmentUnsettled => "enrollmentUnsettled",
    SiteUnreachable => "siteUnreachable",
    SiteTls => "siteTls",
    SiteTimeout => "siteTimeout",
    SiteBadResponse => "siteBadResponse",
    SiteBadRoot => "siteBadRoot",
    WrongAccount => "wrongAccount",
    InvalidRequest => "invalidRequest",
    BadSignature => "badSignature",
    StaleTimestamp => "staleTimestamp",
    ReplayedRequest => "replayedRequest",
    UnknownDevice => "unknownDevice",
    TotpDisabled => "totpDisabled",
    Blocked => "blocked",
    UnknownEnrollment => "unknownEnrollment",
    UnknownChallenge => "unknownChallenge",
    EnrollmentUsed => "enrollmentUsed",
    ChallengeDecided => "challengeDecided",
    EnrollmentExpired => "enrollmentExpired",
    ChallengeExpired => "challengeExpired",
    BadCode => "badCode",
    CodeReused => "codeReused",
    NumberRequired => "numberRequired",
    NumberMismatch => "numberMismatch",
    RateLimited => "rateLimited",
    SiteError => "siteError",
    ImageUnreadable => "imageUnreadable",
    ImageTooLarge => "imageTooLarge",
    QrNotFound => "qrNotFound",
    QrNotAuthenticator => "qrNotAuthenticator",
    QrAmbiguous => "qrAmbiguous",
    QrInvalidPayload => "qrInvalidPayload",
    PayloadInvalid => "payloadInvalid",
    PreviewGone => "previewGone",
    NeedsConfirmation => "needsConfirmation",
    CleartextBlocked => "cleartextBlocked",
    ClipboardEmpty => "clipboardEmpty",
    ClipboardUnavailable => "clipboardUnavailable",
    NotEnrolled => "notEnrolled",
    LoginGone => "loginGone",
    ImportUnrecognised => "importUnrecognised",
    ImportTooLarge => "importTooLarge",
    ImportPasswordNeeded => "importPasswordNeeded",
    ImportWrongPassword => "importWrongPassword",
    ImportDamaged => "importDamaged",
    ImportNewerVersion => "importNewerVersion",
    ImportUnsupported => "importUnsupported",
    ImportTooMuchMemory => "importTooMuchMemory",
    BackupPasswordShort => "backupPasswordShort",
    Internal => "internal",
}

impl ErrorCode {
    /// The code for a crate's snake_case code (`vault_tampered`,
    /// `qr_not_found`, a protocol code such as `number_mismatch`):
    /// the same words in camelCase, [`ErrorCode::Internal`] for codes the
    /// UI has no words for (they mean a bug, not something the user did).
    pub fn from_snake(snake: &str) -> ErrorCode {
        let mut camel = String::with_capacity(snake.len());
        let mut upper = false;
        for c in snake.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                camel.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                camel.push(c);
            }
        }
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|code| code.as_str() == camel)
            .unwrap_or(ErrorCode::Internal)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a command rejects with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// The stable code the UI words.
    pub code: ErrorCode,
    /// English detail for the details line and logs; never a secret.
    pub message: String,
}

impl AppError {
    /// An error with this code and detail.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl From<spse_vault::Error> for AppError {
    fn from(error: spse_vault::Error) -> AppError {
        if let spse_vault::Error::BackupContent(_) = error {
            return AppError::new(ErrorCode::ImportDamaged, error.to_string());
        }
        AppError::new(ErrorCode::from_snake(error.code()), error.to_string())
    }
}

impl From<spse_client::Error> for AppError {
    fn from(error: spse_client::Error) -> AppError {
        use spse_client::Error as E;
        let code = match &error {
            E::Unreachable { .. } => ErrorCode::SiteUnreachable,
            // A connection that broke mid-request: the user's remedy is the
            // same (check the connection, try again); an enrollment it cut
            // is settled by asking the site, not here.
            E::Interrupted { .. } => ErrorCode::SiteUnreachable,
            E::Cleartext { .. } => ErrorCode::CleartextBlocked,
            E::Tls { .. } => ErrorCode::SiteTls,
            E::Timeout { .. } => ErrorCode::SiteTimeout,
            E::Server { code, .. } => ErrorCode::from_snake(code.as_str()),
            E::WrongAccount => ErrorCode::WrongAccount,
            E::BadResponse => ErrorCode::SiteBadResponse,
            E::BadRoot => ErrorCode::SiteBadRoot,
            E::Key(_) => ErrorCode::Internal,
            _ => ErrorCode::SiteError,
        };
        AppError::new(code, error.to_string())
    }
}

impl From<spse_accounts::Error> for AppError {
    fn from(error: spse_accounts::Error) -> AppError {
        use spse_accounts::Error as E;
        match error {
            E::Vault(e) => e.into(),
            E::Site(e) => e.into(),
            other => AppError::new(ErrorCode::from_snake(other.code()), other.to_string()),
        }
    }
}

impl From<spse_qr::Error> for AppError {
    fn from(error: spse_qr::Error) -> AppError {
        AppError::new(ErrorCode::from_snake(error.code()), error.to_string())
    }
}

impl From<spse_otp::Error> for AppError {
    fn from(error: spse_otp::Error) -> AppError {
        AppError::new(ErrorCode::PayloadInvalid, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// The codes between the quotes of `ERROR_CODES = [ ... ] as const` in
    /// `ipc.ts`, comments skipped.
    fn ipc_codes() -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/ipc.ts");
        let text = std::fs::read_to_string(path).unwrap();
        let start = text.find("ERROR_CODES = [").unwrap();
        let end = start + text[start..].find("] as const").unwrap();
        text[start + "ERROR_CODES = [".len()..end]
            .lines()
            .map(|line| line.split("//").next().unwrap_or("").trim())
            .flat_map(|line| line.split(','))
            .map(|item| item.trim().trim_matches('\'').trim_matches('"').to_owned())
            .filter(|item| !item.is_empty())
            .collect()
    }

    #[test]
    fn the_codes_are_exactly_those_of_ipc_ts() {
        let ipc = ipc_codes();
        let rust: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        for code in &ipc {
            assert!(rust.contains(code), "ipc.ts has {code}, AppError does not");
        }
        for code in &rust {
            assert!(ipc.contains(code), "AppError has {code}, ipc.ts does not");
        }
        assert_eq!(ipc, rust, "same codes, same order");
    }

    #[test]
    fn every_crate_code_has_its_own_app_code() {
        for (snake, camel) in [
            ("keystore_unavailable", "keystoreUnavailable"),
            ("vault_tampered", "vaultTampered"),
            ("account_exists", "accountExists"),
            ("enrolled_not_saved", "enrolledNotSaved"),
            ("enrollment_unsettled", "enrollmentUnsettled"),
            ("qr_not_found", "qrNotFound"),
            ("image_too_large", "imageTooLarge"),
            ("account_not_pending", "internal"),
            ("bad_order", "internal"),
        ] {
            assert_eq!(ErrorCode::from_snake(snake).as_str(), camel, "{snake}");
        }
        for code in spse_protocol::wire::ErrorCode::ALL {
            assert_ne!(
                ErrorCode::from_snake(code.as_str()),
                ErrorCode::Internal,
                "{}",
                code.as_str()
            );
        }
    }

    /// A connection that broke mid-request reads as the site out of reach
    /// (what the user can do about it), not as an error of the site's.
    #[test]
    fn a_broken_connection_is_told_as_the_site_out_of_reach() {
        let error = AppError::from(spse_client::Error::Interrupted {
            server: "https://lpse.example.go.id".into(),
        });
        assert_eq!(error.code(), ErrorCode::SiteUnreachable);
    }

    #[test]
    fn errors_serialize_as_code_and_message() {
        let error = AppError::from(spse_client::Error::Server {
            code: spse_protocol::wire::ErrorCode::NumberMismatch,
            message: "Nomor tidak cocok".into(),
        });
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({
                "code": "numberMismatch",
                "message": "number: the number does not match the login page"
            })
        );
    }
}
