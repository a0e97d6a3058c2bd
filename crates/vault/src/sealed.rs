//! The vault file format (docs/vault.md): a JSON header and the accounts
//! sealed with AES-256-GCM under the vault key, the header bound as
//! associated data so no header field can be changed unnoticed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::keystore::VaultKey;

/// The `format` value of every vault file.
pub const FORMAT: &str = "spse-auth-vault";
/// The format version this build writes: 2 added the device identity of
/// enrolled SPSE accounts; 3 adds pending enrollments, a site's own root
/// certificate and the sites' clock offsets. It reads every version up to
/// this one.
pub const VERSION: u32 = 3;
const CIPHER: &str = "AES-256-GCM";
const KEY_SOURCE: &str = "keyring";
const KEY_CHECK_LABEL: &[u8] = b"spse-auth-vault key check v1";
const TAG_LEN: usize = 16;

/// A vault file as stored: header fields plus the sealed accounts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VaultFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version; a reader refuses a newer one.
    pub version: u32,
    /// Always `AES-256-GCM`.
    pub cipher: String,
    /// Where the key lives: `keyring` (the platform keystore).
    pub key_source: String,
    /// The keystore entry (user name under service `spse-auth`) holding the key.
    pub key_id: String,
    /// b64url of the first 8 bytes of HMAC-SHA256(key, "spse-auth-vault key
    /// check v1"): tells a wrong key from a tampered file.
    pub key_check: String,
    /// b64url of the 96-bit random nonce of this save.
    pub nonce: String,
    /// b64url of the ciphertext and its 16-byte tag.
    pub sealed: String,
}

/// Why a vault file could not be read; the caller adds the path.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not the format at all.
    Corrupt(String),
    /// A newer format version.
    TooNew(u32),
}

/// Why sealed content could not be opened.
#[derive(Debug, PartialEq, Eq)]
pub enum Unsealable {
    /// The key check does not match: the keystore key is another vault's.
    WrongKey,
    /// The key is right but the content fails authentication.
    Tampered,
}

/// Only the fields needed to decide whether the rest can be read.
#[derive(Deserialize)]
struct Probe {
    format: Option<String>,
    version: Option<u32>,
}

impl VaultFile {
    /// Reads a vault file's bytes, checking format, version and field shapes.
    pub fn parse(bytes: &[u8]) -> Result<VaultFile, Unreadable> {
        let probe: Probe = serde_json::from_slice(bytes)
            .map_err(|e| Unreadable::Corrupt(format!("not JSON: {e}")))?;
        if probe.format.as_deref() != Some(FORMAT) {
            return Err(Unreadable::Corrupt("not an SPSE Auth vault".into()));
        }
        match probe.version {
            Some(v) if v > VERSION => return Err(Unreadable::TooNew(v)),
            Some(_) => {}
            None => return Err(Unreadable::Corrupt("no version".into())),
        }
        let file: VaultFile = serde_json::from_slice(bytes)
            .map_err(|e| Unreadable::Corrupt(format!("bad header: {e}")))?;
        if file.cipher != CIPHER || file.key_source != KEY_SOURCE {
            return Err(Unreadable::Corrupt("unknown cipher or key source".into()));
        }
        if !valid_key_id(&file.key_id) {
            return Err(Unreadable::Corrupt("bad key_id".into()));
        }
        let lengths = [
            (decode(&file.nonce).map(|n| n.len()), NONCE_LEN, "nonce"),
            (decode(&file.key_check).map(|c| c.len()), 8, "key_check"),
        ];
        for (len, want, name) in lengths {
            if len != Some(want) {
                return Err(Unreadable::Corrupt(format!("bad {name}")));
            }
        }
        if decode(&file.sealed).is_none_or(|s| s.len() < TAG_LEN) {
            return Err(Unreadable::Corrupt("bad sealed data".into()));
        }
        Ok(file)
    }

    /// Seals `plaintext` under `key` with a fresh random nonce.
    pub fn seal(
        key: &VaultKey,
        key_id: &str,
        plaintext: &[u8],
        rng: &SystemRandom,
    ) -> Result<VaultFile, ring::error::Unspecified> {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill(&mut nonce)?;
        let mut file = VaultFile {
            format: FORMAT.into(),
            version: VERSION,
            cipher: CIPHER.into(),
            key_source: KEY_SOURCE.into(),
            key_id: key_id.into(),
            key_check: B64.encode(key_check(key)),
            nonce: B64.encode(nonce),
            sealed: String::new(),
        };
        let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.expose())?);
        // Room for the tag up front: growing would free plaintext unwiped.
        let mut buffer = Zeroizing::new(Vec::with_capacity(plaintext.len() + TAG_LEN));
        buffer.extend_from_slice(plaintext);
        sealing.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(file.associated_data().as_bytes()),
            &mut *buffer,
        )?;
        file.sealed = B64.encode(&*buffer);
        Ok(file)
    }

    /// Opens the sealed content; the plaintext is wiped when dropped.
    pub fn open(&self, key: &VaultKey) -> Result<Zeroizing<Vec<u8>>, Unsealable> {
        if decode(&self.key_check).as_deref() != Some(&key_check(key)[..]) {
            return Err(Unsealable::WrongKey);
        }
        let nonce = decode(&self.nonce)
            .and_then(|n| <[u8; NONCE_LEN]>::try_from(n.as_slice()).ok())
            .ok_or(Unsealable::Tampered)?;
        let mut buffer = Zeroizing::new(decode(&self.sealed).ok_or(Unsealable::Tampered)?);
        let opening = UnboundKey::new(&AES_256_GCM, key.expose())
            .map(LessSafeKey::new)
            .map_err(|_| Unsealable::WrongKey)?;
        let len = opening
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(self.associated_data().as_bytes()),
                &mut buffer,
            )
            .map_err(|_| Unsealable::Tampered)?
            .len();
        buffer.truncate(len);
        Ok(buffer)
    }

    /// The associated data: every header field, one `name=value` line each
    /// after the format name, joined by `\n`, no trailing newline.
    pub fn associated_data(&self) -> String {
        format!(
            "{}\nversion={}\ncipher={}\nkey_source={}\nkey_id={}\nkey_check={}\nnonce={}",
            self.format,
            self.version,
            self.cipher,
            self.key_source,
            self.key_id,
            self.key_check,
            self.nonce
        )
    }

    /// The file's bytes: pretty JSON, so a person can read the header.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// Key ids are `[a-z0-9-]{1,64}`: safe in a keystore entry name and an
/// associated-data line.
pub(crate) fn valid_key_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn key_check(key: &VaultKey) -> [u8; 8] {
    let tag = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, key.expose()),
        KEY_CHECK_LABEL,
    );
    let mut check = [0u8; 8];
    check.copy_from_slice(&tag.as_ref()[..8]);
    check
}

fn decode(text: &str) -> Option<Vec<u8>> {
    B64.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(plaintext: &[u8]) -> (VaultKey, VaultFile) {
        let key = VaultKey::from_bytes([7; 32]);
        let file = VaultFile::seal(&key, "vault-test", plaintext, &SystemRandom::new()).unwrap();
        (key, file)
    }

    #[test]
    fn seal_then_open() {
        let (key, file) = sealed(b"{\"accounts\":[]}");
        let parsed = VaultFile::parse(&file.to_bytes()).unwrap();
        assert_eq!(parsed, file);
        assert_eq!(&*parsed.open(&key).unwrap(), b"{\"accounts\":[]}");
    }

    #[test]
    fn a_wrong_key_is_told_from_tampering() {
        let (_, file) = sealed(b"x");
        assert_eq!(
            file.open(&VaultKey::from_bytes([8; 32])),
            Err(Unsealable::WrongKey)
        );
    }

    #[test]
    fn every_header_field_is_authenticated() {
        let (key, file) = sealed(b"secret accounts");
        let mut changed = file.clone();
        changed.key_id = "vault-other".into();
        assert_eq!(changed.open(&key), Err(Unsealable::Tampered));
        let mut changed = file.clone();
        changed.nonce = B64.encode([0u8; 12]);
        assert_eq!(changed.open(&key), Err(Unsealable::Tampered));
        let mut changed = file.clone();
        changed.version = 0;
        assert_eq!(changed.open(&key), Err(Unsealable::Tampered));
        let mut changed = file;
        let mut sealed = B64.decode(&changed.sealed).unwrap();
        sealed[0] ^= 1;
        changed.sealed = B64.encode(sealed);
        assert_eq!(changed.open(&key), Err(Unsealable::Tampered));
    }

    #[test]
    fn unreadable_files_say_why() {
        assert!(matches!(
            VaultFile::parse(b"garbage"),
            Err(Unreadable::Corrupt(_))
        ));
        assert!(matches!(
            VaultFile::parse(b"{\"format\":\"other\"}"),
            Err(Unreadable::Corrupt(_))
        ));
        assert_eq!(
            VaultFile::parse(b"{\"format\":\"spse-auth-vault\",\"version\":9}"),
            Err(Unreadable::TooNew(9))
        );
        let (_, file) = sealed(b"x");
        let bytes = file.to_bytes();
        assert!(matches!(
            VaultFile::parse(&bytes[..bytes.len() / 2]),
            Err(Unreadable::Corrupt(_))
        ));
    }

    #[test]
    fn key_ids_are_restricted() {
        assert!(valid_key_id("vault-0123abcd"));
        assert!(!valid_key_id(""));
        assert!(!valid_key_id("Vault"));
        assert!(!valid_key_id("vault\nx"));
        assert!(!valid_key_id(&"a".repeat(65)));
    }
}
