//! The vault key and the platform keystore that holds it.
//!
//! One keystore entry per vault (service `spse-auth`, user = the vault's
//! `key_id`), holding the 32 key bytes and nothing else. A save is then one
//! file write, never N keystore calls that could half-fail.

use std::fmt;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// The keystore service name every SPSE Auth entry lives under.
pub const SERVICE: &str = "spse-auth";

/// The 256-bit AES key of a vault, wiped on drop, never printed.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 32]>);

impl VaultKey {
    /// A fresh random key.
    pub(crate) fn generate(rng: &SystemRandom) -> Result<VaultKey> {
        let mut key = Zeroizing::new([0u8; 32]);
        rng.fill(key.as_mut())
            .map_err(|_| Error::KeystoreUnavailable {
                hint: "the system random generator failed",
                detail: "getrandom".into(),
            })?;
        Ok(VaultKey(key))
    }

    /// Takes key bytes read from a keystore (wiping the caller's copy);
    /// `None` when they are not 32 bytes.
    pub(crate) fn from_stored(mut bytes: Vec<u8>) -> Option<VaultKey> {
        let key = <[u8; 32]>::try_from(bytes.as_slice())
            .ok()
            .map(|k| VaultKey(Zeroizing::new(k)));
        bytes.zeroize();
        key
    }

    /// A key from known bytes: for test vectors and peers' tests only.
    pub fn from_bytes(bytes: [u8; 32]) -> VaultKey {
        VaultKey(Zeroizing::new(bytes))
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VaultKey([REDACTED])")
    }
}

/// A credential store holding vault keys: the platform's in the app and CLI,
/// `keyring_core::mock` in fault-injection tests.
#[derive(Clone)]
pub struct Keystore {
    store: Arc<CredentialStore>,
}

impl fmt::Debug for Keystore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keystore")
            .field("vendor", &self.store.vendor())
            .finish()
    }
}

impl Keystore {
    /// Wraps any keyring-core store.
    pub fn new(store: Arc<CredentialStore>) -> Keystore {
        Keystore { store }
    }

    /// This platform's keystore: Secret Service (Linux, BSD), Keychain (macOS,
    /// iOS), Credential Manager (Windows), Keystore-wrapped storage (Android;
    /// the app must initialise `ndk-context` first).
    pub fn platform() -> Result<Keystore> {
        platform_store()
            .map(Keystore::new)
            .map_err(keystore_unavailable)
    }

    /// The error [`Keystore::platform`] would give when the keystore cannot
    /// even be asked: on Android, when the app's glue that hands the
    /// Keystore its context did not load (asking anyway would abort).
    pub fn unreachable(detail: &str) -> Error {
        Error::KeystoreUnavailable {
            hint: HINT,
            detail: detail.to_owned(),
        }
    }

    /// The entry of the key named `key_id`.
    pub fn entry(&self, key_id: &str) -> Result<Entry> {
        self.store
            .build(SERVICE, key_id, None)
            .map_err(keystore_unavailable)
    }

    /// Reads the key named `key_id`.
    pub(crate) fn load(&self, key_id: &str) -> Result<VaultKey> {
        match self.entry(key_id)?.get_secret() {
            Ok(bytes) => VaultKey::from_stored(bytes).ok_or_else(|| Error::KeyWrong {
                key_id: key_id.to_owned(),
            }),
            Err(keyring_core::Error::NoEntry) => Err(Error::KeyMissing {
                key_id: key_id.to_owned(),
            }),
            Err(keyring_core::Error::BadEncoding(mut bytes))
            | Err(keyring_core::Error::BadDataFormat(mut bytes, _)) => {
                bytes.zeroize();
                Err(Error::KeyWrong {
                    key_id: key_id.to_owned(),
                })
            }
            Err(e) => Err(keystore_unavailable(e)),
        }
    }

    /// Stores a new key under `key_id`; refuses to overwrite an existing one.
    pub(crate) fn create(&self, key_id: &str, key: &VaultKey) -> Result<()> {
        let entry = self.entry(key_id)?;
        match entry.get_secret() {
            Err(keyring_core::Error::NoEntry) => {}
            Ok(mut existing) => {
                existing.zeroize();
                return Err(Error::KeyWrong {
                    key_id: key_id.to_owned(),
                });
            }
            Err(e) => return Err(keystore_unavailable(e)),
        }
        entry.set_secret(key.expose()).map_err(keystore_unavailable)
    }
}

/// What to tell the person whose keystore failed, per platform.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
const HINT: &str = "no Secret Service is running or it is locked: start and unlock GNOME Keyring \
                    or KeePassXC with its Secret Service integration";
#[cfg(any(target_os = "macos", target_os = "ios"))]
const HINT: &str = "the Keychain is locked or refused access: unlock it and allow SPSE Auth";
#[cfg(target_os = "windows")]
const HINT: &str = "Windows Credential Manager refused access: sign in to Windows again";
#[cfg(target_os = "android")]
const HINT: &str = "the Android Keystore refused access: restart the app; if it persists, \
                    check the screen lock settings";
#[cfg(not(any(unix, windows)))]
const HINT: &str = "this platform has no supported keystore";

fn keystore_unavailable(error: keyring_core::Error) -> Error {
    // Platform errors never hold the secret: keyring-core puts returned
    // bytes only in BadEncoding/BadDataFormat, which are handled before.
    let detail = match error {
        keyring_core::Error::BadEncoding(mut b) | keyring_core::Error::BadDataFormat(mut b, _) => {
            b.zeroize();
            "unreadable data".to_owned()
        }
        other => other.to_string(),
    };
    Error::KeystoreUnavailable { hint: HINT, detail }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(target_os = "android")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(android_native_keyring_store::Store::new()?)
}

#[cfg(not(any(unix, windows)))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no keystore on this platform".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_debug_is_redacted() {
        let key = VaultKey::from_bytes([0x42; 32]);
        assert_eq!(format!("{key:?}"), "VaultKey([REDACTED])");
        assert!(!format!("{key:#?}").contains("66"));
    }

    #[test]
    fn stored_keys_must_be_32_bytes() {
        assert!(VaultKey::from_stored(vec![1; 31]).is_none());
        assert!(VaultKey::from_stored(vec![1; 33]).is_none());
        assert!(VaultKey::from_stored(vec![1; 32]).is_some());
    }
}
