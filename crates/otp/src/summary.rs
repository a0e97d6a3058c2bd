//! What a payload holds, minus its secrets: what `spse-auth inspect` prints and
//! what the app shows before the user confirms an import.

use serde::{Deserialize, Serialize};

use crate::account::{Account, Kind};
use crate::payload::Payload;

/// A payload described for people and scripts; it never holds a secret or a
/// token, only whether one is there and how long the secret is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// `spse`, `otpauth` or `migration`.
    pub kind: String,
    /// The SPSE server base URL, for an enrollment.
    pub server: Option<String>,
    /// True when the server is an `http://` training server to confirm first.
    pub training: bool,
    /// True when the payload carries an enrollment token.
    pub enroll: bool,
    /// The accounts the payload would add.
    pub accounts: Vec<AccountSummary>,
}

/// One account of a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// `totp` or `hotp`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The issuer, if any.
    pub issuer: Option<String>,
    /// The account name (the SPSE user ID).
    pub account: String,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: String,
    /// Code length.
    pub digits: u8,
    /// TOTP period in seconds; `None` for HOTP.
    pub period: Option<u32>,
    /// HOTP counter; `None` for TOTP.
    pub counter: Option<u64>,
    /// Secret length in bits, so weak secrets can be flagged.
    pub secret_bits: usize,
}

impl From<&Account> for AccountSummary {
    fn from(account: &Account) -> AccountSummary {
        let (period, counter) = match account.kind() {
            Kind::Totp { period } => (Some(period), None),
            Kind::Steam => (account.kind().period(), None),
            Kind::Hotp { counter } => (None, Some(counter)),
        };
        AccountSummary {
            kind: account.kind().as_str().to_owned(),
            issuer: account.issuer().map(str::to_owned),
            account: account.name().to_owned(),
            algorithm: account.algorithm().as_str().to_owned(),
            digits: account.digits(),
            period,
            counter,
            secret_bits: account.secret().bits(),
        }
    }
}

impl From<&Payload> for Summary {
    fn from(payload: &Payload) -> Summary {
        let (kind, server) = match payload {
            Payload::Spse(enrollment) => ("spse", Some(&enrollment.server)),
            Payload::Otpauth(_) => ("otpauth", None),
            Payload::Migration(_) => ("migration", None),
        };
        Summary {
            kind: kind.to_owned(),
            server: server.map(|s| s.as_str().to_owned()),
            training: server.is_some_and(|s| s.is_training()),
            enroll: server.is_some(),
            accounts: payload
                .accounts()
                .iter()
                .map(AccountSummary::from)
                .collect(),
        }
    }
}
