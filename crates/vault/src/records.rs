//! What the vault holds: accounts with their site, id, order and dates, the
//! sites' clock offsets, and the sealed plaintext they are written as.

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};
use spse_otp::{Account, Payload};
use zeroize::Zeroizing;

/// The SPSE site an account belongs to; `None` on codes-only accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// The server base URL (the protocol's `{server}`), the list's heading.
    pub server: String,
    /// The site's name (`LPSE Kabupaten Kudus`), when known.
    pub name: Option<String>,
    /// An `http://` training server the user confirmed.
    pub training: bool,
    /// The device identity this account enrolled with (format 2); `None`
    /// for an account stored without enrolling (format 1 vaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceIdentity>,
    /// A root certificate (DER) trusted for this site only, besides the
    /// public roots: a training server's own, given when it was enrolled.
    /// Never trusted for any other site (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "b64_opt")]
    pub trust_root: Option<Vec<u8>>,
    /// Set from the moment the account and its device key are stored until
    /// the site confirms the enrollment, so a crash or a failed save in
    /// between never leaves the site expecting a key nobody kept (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingEnrollment>,
}

impl Site {
    /// A site known by its base URL only: no name, device, root or pending
    /// enrollment yet.
    pub fn new(server: impl Into<String>, training: bool) -> Site {
        Site {
            server: server.into(),
            name: None,
            training,
            device: None,
            trust_root: None,
            pending: None,
        }
    }
}

/// An enrollment stored before it was sent to the site: the account and its
/// device key are safe on disk first, then the site is told, then the
/// account is marked enrolled. One left behind by a crash is finished (the
/// site knows the device) or rolled back (it does not) on the next run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEnrollment {
    /// When it was stored, Unix ms: younger ones may still be in progress in
    /// another process, so recovery leaves them alone.
    pub started_at: u64,
    /// The enrolled account this one replaces once confirmed (re-enrolling
    /// after "Reset TOTP"); it stays until then, so a failed re-enrollment
    /// loses nothing.
    #[serde(default)]
    pub replaces: Option<String>,
}

/// What a site's clock told us: codes and signed requests for that site use
/// its time when this device's clock is off (docs/protocol.md section 3).
/// Kept in the vault so that a new process (the CLI runs one per command)
/// starts with it, and codes are right even offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockOffset {
    /// The site's clock minus this device's, in ms.
    pub offset_ms: i64,
    /// When it was measured, Unix ms (this device's clock).
    pub measured_at: u64,
}

/// The enrolled device of one SPSE account: its id and its private key (the
/// PKCS#8 document of its ECDSA P-256 key), wiped on drop, never printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    /// 16 random bytes, base64url: the protocol's `device_id`.
    pub id: String,
    /// base64url of the PKCS#8 private key.
    #[serde(with = "b64_secret")]
    pub key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for DeviceIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceIdentity")
            .field("id", &self.id)
            .field("key", &"[REDACTED]")
            .finish()
    }
}

/// Base64url (no padding) for an optional certificate.
mod b64_opt {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(der: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match der {
            Some(der) => s.serialize_str(&B64.encode(der)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                B64.decode(text.as_bytes())
                    .map_err(|_| serde::de::Error::custom("trust root: not base64url"))
            })
            .transpose()
    }
}

/// Base64url (no padding) for key bytes, with the text wiped after use.
mod b64_secret {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use serde::{Deserialize, Deserializer, Serializer};
    use zeroize::Zeroizing;

    pub(super) fn serialize<S: Serializer>(
        key: &Zeroizing<Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(B64.encode(key.as_slice()));
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Zeroizing<Vec<u8>>, D::Error> {
        let text = Zeroizing::<String>::deserialize(d)?;
        B64.decode(text.as_bytes())
            .map(Zeroizing::new)
            .map_err(|_| serde::de::Error::custom("device key: not base64url"))
    }
}

/// One account in the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    /// Stable id: `a` and 16 hex digits, random, never reused.
    pub id: String,
    /// The OTP account (secret included, kept as [`spse_otp::Secret`]).
    pub account: Account,
    /// Its SPSE site, or `None` for a codes-only account.
    pub site: Option<Site>,
    /// A name the user chose; shown instead of issuer and account name.
    pub label: Option<String>,
    /// Position in the list (0 first).
    pub order: u32,
    /// When it was added, in Unix seconds.
    pub created_at: u64,
}

impl StoredAccount {
    /// Whether the site has not yet confirmed this account's enrollment.
    pub fn is_pending(&self) -> bool {
        self.site.as_ref().is_some_and(|s| s.pending.is_some())
    }

    /// How a person recognises the account: `PPK2 on https://...` or
    /// `GitHub: alice`.
    pub fn describe(&self) -> String {
        match (&self.site, self.account.issuer()) {
            (Some(site), _) => format!("{} on {}", self.account.name(), site.server),
            (None, Some(issuer)) => format!("{issuer}: {}", self.account.name()),
            (None, None) => self.account.name().to_owned(),
        }
    }

    /// Whether `other` is the same account enrolled again: the same site
    /// and user ID, or for codes-only accounts the same issuer, name and secret.
    pub fn same_as(&self, other: &Account, site: Option<&Site>) -> bool {
        match (&self.site, site) {
            (Some(mine), Some(theirs)) => {
                mine.server == theirs.server && self.account.name() == other.name()
            }
            (None, None) => {
                self.account.issuer() == other.issuer()
                    && self.account.name() == other.name()
                    && self.account.secret() == other.secret()
            }
            _ => false,
        }
    }
}

/// Everything the vault holds, in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Data {
    pub(crate) accounts: Vec<StoredAccount>,
    /// Per site base URL.
    pub(crate) clocks: BTreeMap<String, ClockOffset>,
}

/// The sealed plaintext, as JSON. Every field added later is optional, so
/// older vaults keep opening.
#[derive(Serialize, Deserialize)]
struct Contents {
    accounts: Vec<Record>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    clocks: BTreeMap<String, ClockOffset>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Record {
    pub(crate) id: String,
    /// The canonical `otpauth://` URI (secret included): one format for the
    /// account, the one `spse-otp` parses and formats round-trip.
    pub(crate) otpauth: Zeroizing<String>,
    pub(crate) site: Option<Site>,
    pub(crate) label: Option<String>,
    pub(crate) order: u32,
    pub(crate) created_at: u64,
}

impl Record {
    /// The record of `account`, as the vault and a backup write it.
    pub(crate) fn of(account: &StoredAccount) -> Record {
        Record {
            id: account.id.clone(),
            otpauth: account.account.to_uri(),
            site: account.site.clone(),
            label: account.label.clone(),
            order: account.order,
            created_at: account.created_at,
        }
    }

    /// The account back; `Err` names the record at fault.
    pub(crate) fn into_account(self) -> Result<StoredAccount, String> {
        let account = match Payload::parse(&self.otpauth) {
            Ok(Payload::Otpauth(account)) => account,
            Ok(_) => return Err(format!("account {}: not a plain otpauth URI", self.id)),
            Err(e) => return Err(format!("account {}: {e}", self.id)),
        };
        Ok(StoredAccount {
            id: self.id,
            account,
            site: self.site,
            label: self.label,
            order: self.order,
            created_at: self.created_at,
        })
    }
}

/// Serialises accounts into a buffer that is wiped when dropped (and never
/// leaves unwiped copies behind when it grows).
pub(crate) fn serialize(data: &Data) -> Zeroizing<Vec<u8>> {
    let accounts = &data.accounts;
    let contents = Contents {
        clocks: data.clocks.clone(),
        accounts: accounts.iter().map(Record::of).collect(),
    };
    let mut writer = WipingWriter(Zeroizing::new(Vec::with_capacity(
        256 * accounts.len() + 64,
    )));
    // Writing JSON to memory cannot fail.
    let _ = serde_json::to_writer(&mut writer, &contents);
    writer.0
}

/// Reads the plaintext back; `Err` carries a reason for a corrupt vault.
pub(crate) fn deserialize(plaintext: &[u8]) -> Result<Data, String> {
    let contents: Contents =
        serde_json::from_slice(plaintext).map_err(|e| format!("sealed content: {e}"))?;
    let accounts = contents
        .accounts
        .into_iter()
        .map(Record::into_account)
        .collect::<Result<_, String>>()?;
    Ok(Data {
        accounts,
        clocks: contents.clocks,
    })
}

pub(crate) struct WipingWriter(pub(crate) Zeroizing<Vec<u8>>);

impl io::Write for WipingWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let needed = self.0.len() + bytes.len();
        if needed > self.0.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(needed.max(self.0.capacity() * 2)));
            bigger.extend_from_slice(&self.0);
            // Dropping the old buffer wipes it.
            self.0 = bigger;
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
