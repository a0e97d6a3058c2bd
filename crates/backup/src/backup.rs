//! SPSE Auth's own encrypted backup file (docs/backup.md): the accounts of
//! the vault, their SPSE device keys included, sealed with a key derived
//! from a password the user chose, so the file can leave the device (a USB
//! stick, a mail to oneself, a new phone) and be restored on another one.
//!
//! One UTF-8 JSON object. The header members (format, version, Argon2id
//! parameters and salt, a key check, the nonce) are bound to the ciphertext
//! as AES-256-GCM associated data; the key is Argon2id(password, salt). This
//! module only seals and opens bytes: what the contents are (the vault's
//! records) is the caller's, and docs/backup.md says it.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::format::{Format, Limits, MAX_FILE_LEN};

/// The `format` member: what tells this file from every other.
pub const FORMAT_NAME: &str = "spse-auth-backup";
/// The format version this build writes and the newest it reads.
pub const VERSION: u64 = 1;
/// The fewest characters (Unicode scalar values) a backup password may
/// have: the file may be copied anywhere, and the password is then all that
/// keeps every secret and device key in it from whoever holds a copy.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The most Argon2id passes a file may ask: eight times what SPSE Auth
/// writes by default, some seconds on a phone at 64 MiB; more is hostile
/// (a file could otherwise keep the device busy for hours).
pub const MAX_ITERATIONS: u32 = 32;
/// The most Argon2id lanes a file may ask: this implementation computes
/// them one after the other, so more lanes only make a hostile file slower.
pub const MAX_PARALLELISM: u32 = 16;
/// The most work a file may ask, memory × passes in KiB: sixteen times
/// [`KdfParams::DEFAULT`]'s (256 MiB at 16 passes, or 1 GiB at 4), a quarter
/// of a minute on a cheap phone at worst.
pub const MAX_WORK_KIB: u64 = 16 * 64 * 1024 * 4;

const KDF_NAME: &str = "argon2id";
const CIPHER_NAME: &str = "AES-256-GCM";
const SALT_LEN: usize = 16;
const KEY_LEN: usize = 32;
const TAG_LEN: usize = 16;
const KEY_CHECK_LEN: usize = 8;
const KEY_CHECK_LABEL: &[u8] = b"spse-auth-backup key check v1";
/// Every member of a version 1 file, in the order it is written.
const MEMBERS: [&str; 11] = [
    "format",
    "version",
    "kdf",
    "memory_kib",
    "iterations",
    "parallelism",
    "salt",
    "key_check",
    "cipher",
    "nonce",
    "sealed",
];

/// Argon2id's cost parameters (RFC 9106 section 3.1): how much memory and
/// how many passes each password guess costs, whoever makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory, in KiB (`m`); at least 8 × `parallelism`.
    pub memory_kib: u32,
    /// Passes over the memory (`t`), at least 1.
    pub iterations: u32,
    /// Lanes (`p`), at least 1.
    pub parallelism: u32,
}

impl KdfParams {
    /// What SPSE Auth seals with: 64 MiB, 4 passes, 1 lane. Measured with
    /// `cargo run -p spse-backup --example kdf_time` on one core of the
    /// 2-core development machine (shared, load about 2): 160 ms to open a
    /// backup (3 passes: 120-145 ms; 5: 185-200 ms; 128 MiB and 3 passes:
    /// 260-280 ms). A cheap phone being 4-5 times slower, that is 0.6-0.8 s
    /// there, and more where its memory is slow: about a second, once per
    /// backup or restore. 64 MiB stays well within what Android lets an app
    /// take (128 MiB would risk the low-memory killer on a 2 GB phone beside
    /// the WebView), so the cost is raised with passes instead: a third
    /// more work per guess than RFC 9106's second recommended option
    /// (section 4: 64 MiB, 3 passes).
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 4,
        parallelism: 1,
    };

    /// Refuses parameters out of the bounds a reader accepts, before any
    /// memory is taken: the memory against `limits`, the passes and lanes
    /// against [`MAX_ITERATIONS`] and [`MAX_PARALLELISM`], their product
    /// against [`MAX_WORK_KIB`].
    fn check(self, limits: &Limits) -> Result<()> {
        let out_of_range = |what: String| Error::KdfParams {
            format: Format::SpseBackup,
            what,
        };
        if !(1..=MAX_PARALLELISM).contains(&self.parallelism) {
            return Err(out_of_range(format!(
                "parallelism: {} is not within 1 to {MAX_PARALLELISM}",
                self.parallelism
            )));
        }
        if !(1..=MAX_ITERATIONS).contains(&self.iterations) {
            return Err(out_of_range(format!(
                "iterations: {} is not within 1 to {MAX_ITERATIONS}",
                self.iterations
            )));
        }
        let least = 8 * self.parallelism;
        if self.memory_kib < least {
            return Err(out_of_range(format!(
                "memory_kib: {} is less than 8 x parallelism ({least})",
                self.memory_kib
            )));
        }
        limits.check_memory(Format::SpseBackup, u64::from(self.memory_kib) * 1024)?;
        let work = u64::from(self.memory_kib) * u64::from(self.iterations);
        if work > MAX_WORK_KIB {
            return Err(out_of_range(format!(
                "memory_kib x iterations: {work} is more than {MAX_WORK_KIB}"
            )));
        }
        Ok(())
    }

    /// The file key: Argon2id v1.3 of the password's UTF-8 bytes, 32 bytes.
    fn derive(self, password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
        let damaged = |e: argon2::Error| Error::KdfParams {
            format: Format::SpseBackup,
            what: format!("argon2id: {e}"),
        };
        let params = argon2::Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(damaged)?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(password.as_bytes(), salt, key.as_mut())
            .map_err(damaged)?;
        Ok(key)
    }
}

/// The header fields bound to the ciphertext, as the file writes them.
struct Bound<'a> {
    version: u64,
    params: KdfParams,
    salt: &'a str,
    key_check: &'a str,
    nonce: &'a str,
}

impl Bound<'_> {
    /// The AES-GCM associated data: ten lines joined by `\n`, no final one.
    fn associated_data(&self) -> String {
        let mut text = String::with_capacity(256);
        // Writing to a String cannot fail.
        let _ = write!(
            text,
            "{FORMAT_NAME}\nversion={}\nkdf={KDF_NAME}\nmemory_kib={}\niterations={}\n\
             parallelism={}\nsalt={}\nkey_check={}\ncipher={CIPHER_NAME}\nnonce={}",
            self.version,
            self.params.memory_kib,
            self.params.iterations,
            self.params.parallelism,
            self.salt,
            self.key_check,
            self.nonce,
        );
        text
    }
}

/// The first 8 bytes of HMAC-SHA256(key, `spse-auth-backup key check v1`):
/// tells a wrong password from a damaged file, and reveals nothing the tag
/// does not (each guess still costs a derivation).
fn key_check(key: &[u8; KEY_LEN]) -> [u8; KEY_CHECK_LEN] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), KEY_CHECK_LABEL);
    let mut check = [0u8; KEY_CHECK_LEN];
    check.copy_from_slice(&tag.as_ref()[..KEY_CHECK_LEN]);
    check
}

fn aes_key(key: &[u8; KEY_LEN]) -> Result<LessSafeKey> {
    // AES-256-GCM accepts every 32-byte key: this cannot fail.
    UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| damaged("the derived key"))
}

/// Seals `contents` (the contents JSON of docs/backup.md) with `password`
/// into a backup file, with a new random salt and nonce. Refuses a password
/// shorter than [`MIN_PASSWORD_CHARS`] ([`Error::PasswordTooShort`]) and
/// parameters [`open`] would refuse with the default [`Limits`].
pub fn seal(contents: &[u8], password: &str, params: KdfParams) -> Result<Vec<u8>> {
    let random = SystemRandom::new();
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    random.fill(&mut salt).map_err(|_| Error::NoRandomness)?;
    random.fill(&mut nonce).map_err(|_| Error::NoRandomness)?;
    seal_with(contents, password, params, salt, nonce)
}

/// [`seal`] with the salt and nonce given: for the test vector only
/// (a nonce must never be used twice with one key).
fn seal_with(
    contents: &[u8],
    password: &str,
    params: KdfParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>> {
    // Anything sealed must open: the file is base64 of the contents and more.
    if contents.len() > MAX_FILE_LEN / 2 {
        return Err(Error::TooLarge {
            max: MAX_FILE_LEN / 2,
        });
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    params.check(&Limits::default())?;
    let key = params.derive(password, &salt)?;
    let salt = URL_SAFE_NO_PAD.encode(salt);
    let check = URL_SAFE_NO_PAD.encode(key_check(&key));
    let nonce_text = URL_SAFE_NO_PAD.encode(nonce);
    let bound = Bound {
        version: VERSION,
        params,
        salt: &salt,
        key_check: &check,
        nonce: &nonce_text,
    };
    let aad = bound.associated_data();
    // Sized up front so the plaintext is never copied by a reallocation.
    let mut sealed = Zeroizing::new(Vec::with_capacity(contents.len() + TAG_LEN));
    sealed.extend_from_slice(contents);
    aes_key(&key)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad.as_bytes()),
            &mut *sealed,
        )
        .map_err(|_| Error::TooLarge { max: MAX_FILE_LEN })?;
    Ok(layout(&bound, &URL_SAFE_NO_PAD.encode(&*sealed)))
}

/// The file as SPSE Auth writes it: the members in [`MEMBERS`] order, one a
/// line, two spaces in, a final newline. No value needs JSON escaping.
fn layout(bound: &Bound, sealed: &str) -> Vec<u8> {
    let mut file = String::with_capacity(sealed.len() + 512);
    // Writing to a String cannot fail.
    let _ = write!(
        file,
        "{{\n  \"format\": \"{FORMAT_NAME}\",\n  \"version\": {},\n  \"kdf\": \"{KDF_NAME}\",\n  \
         \"memory_kib\": {},\n  \"iterations\": {},\n  \"parallelism\": {},\n  \
         \"salt\": \"{}\",\n  \"key_check\": \"{}\",\n  \"cipher\": \"{CIPHER_NAME}\",\n  \
         \"nonce\": \"{}\",\n  \"sealed\": \"{sealed}\"\n}}\n",
        bound.version,
        bound.params.memory_kib,
        bound.params.iterations,
        bound.params.parallelism,
        bound.salt,
        bound.key_check,
        bound.nonce,
    );
    file.into_bytes()
}

/// The bytes without a leading UTF-8 byte order mark (some editors add one).
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// Whether `bytes` are an SPSE Auth backup, without a password: a JSON
/// object whose `format` is `spse-auth-backup`, or a file that starts as
/// one does (`{"format": "spse-auth-backup"`, whitespace aside) but is cut
/// short, so that [`open`] can say it is damaged rather than unknown.
pub fn is_backup(bytes: &[u8]) -> bool {
    let bytes = without_bom(bytes);
    if let Ok(Value::Object(members)) = serde_json::from_slice::<Value>(bytes) {
        return members.get("format").and_then(Value::as_str) == Some(FORMAT_NAME);
    }
    starts_as_backup(bytes)
}

/// Whether the first bytes, whitespace dropped, are `{"format":"spse-auth-backup"`.
fn starts_as_backup(bytes: &[u8]) -> bool {
    let expected = format!("{{\"format\":\"{FORMAT_NAME}\"");
    let mut compact = bytes
        .iter()
        .take(256)
        .filter(|b| !b.is_ascii_whitespace())
        .copied();
    expected.bytes().all(|b| compact.next() == Some(b))
}

fn damaged(what: impl Into<String>) -> Error {
    Error::damaged(Format::SpseBackup, what)
}

fn text_member<'a>(members: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    members
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| damaged(format!("{name}: not a string")))
}

fn u32_member(members: &Map<String, Value>, name: &str) -> Result<u32> {
    members
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| damaged(format!("{name}: not a whole number below 2^32")))
}

fn bytes_member(members: &Map<String, Value>, name: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(text_member(members, name)?)
        .map_err(|_| damaged(format!("{name}: not unpadded base64url")))
}

fn fixed_member<const N: usize>(members: &Map<String, Value>, name: &str) -> Result<[u8; N]> {
    bytes_member(members, name)?
        .try_into()
        .map_err(|_| damaged(format!("{name}: not {N} bytes")))
}

/// Opens a backup file with `password`: the contents JSON, or an error that
/// says which of these it is, nothing partial ever returned:
///
/// - not a backup at all: [`Error::Unrecognised`]; over [`MAX_FILE_LEN`]:
///   [`Error::TooLarge`];
/// - a version newer than [`VERSION`]: [`Error::NewerVersion`];
/// - a member missing, malformed or cut short: [`Error::Damaged`] naming it;
/// - derivation parameters over `limits` ([`Error::TooMuchMemory`]) or the
///   bounds ([`Error::KdfParams`]), refused before deriving;
/// - the password does not give the key the file was sealed with:
///   [`Error::WrongPassword`];
/// - the right key, but the ciphertext or header changed since: [`Error::Damaged`]
///   (`sealed: failed its integrity check`).
pub fn open(file: &[u8], password: &str, limits: &Limits) -> Result<Zeroizing<Vec<u8>>> {
    if file.len() > MAX_FILE_LEN {
        return Err(Error::TooLarge { max: MAX_FILE_LEN });
    }
    let bytes = without_bom(file);
    let members = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(members)) => members,
        _ if starts_as_backup(bytes) => {
            return Err(damaged("the file is not whole JSON (cut short?)"));
        }
        _ => return Err(Error::Unrecognised),
    };
    if members.get("format").and_then(Value::as_str) != Some(FORMAT_NAME) {
        return Err(Error::Unrecognised);
    }
    let version = match members.get("version") {
        Some(Value::Number(n)) => n
            .as_u64()
            .filter(|v| *v >= 1)
            .ok_or_else(|| damaged(format!("version: {n} is not a version")))?,
        _ => return Err(damaged("version: not a number")),
    };
    if version > VERSION {
        return Err(Error::NewerVersion {
            format: Format::SpseBackup,
            version: version.to_string(),
        });
    }
    if let Some(missing) = MEMBERS.iter().find(|m| !members.contains_key(**m)) {
        return Err(damaged(format!("{missing}: missing")));
    }
    if let Some(other) = members.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        // The file's own name for it is quoted only when it looks like a
        // member name: a message is one short line, whatever the file holds.
        let plain = other.len() <= 32
            && other
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        return Err(damaged(if plain {
            format!("{other}: not a member of version {VERSION}")
        } else {
            format!("a member that is not of version {VERSION}")
        }));
    }
    if text_member(&members, "kdf")? != KDF_NAME {
        return Err(damaged(format!("kdf: not {KDF_NAME}")));
    }
    if text_member(&members, "cipher")? != CIPHER_NAME {
        return Err(damaged(format!("cipher: not {CIPHER_NAME}")));
    }
    let params = KdfParams {
        memory_kib: u32_member(&members, "memory_kib")?,
        iterations: u32_member(&members, "iterations")?,
        parallelism: u32_member(&members, "parallelism")?,
    };
    let salt: [u8; SALT_LEN] = fixed_member(&members, "salt")?;
    let check: [u8; KEY_CHECK_LEN] = fixed_member(&members, "key_check")?;
    let nonce: [u8; NONCE_LEN] = fixed_member(&members, "nonce")?;
    let mut sealed = Zeroizing::new(bytes_member(&members, "sealed")?);
    if sealed.len() < TAG_LEN {
        return Err(damaged("sealed: shorter than its tag"));
    }
    params.check(limits)?;

    let key = params.derive(password, &salt)?;
    let expected = key_check(&key);
    // Whoever holds the file can compute this offline anyway; compared in
    // constant time all the same.
    if expected
        .iter()
        .zip(check)
        .fold(0u8, |d, (a, b)| d | (a ^ b))
        != 0
    {
        return Err(Error::WrongPassword {
            format: Format::SpseBackup,
        });
    }
    let bound = Bound {
        version,
        params,
        salt: text_member(&members, "salt")?,
        key_check: text_member(&members, "key_check")?,
        nonce: text_member(&members, "nonce")?,
    };
    let aad = bound.associated_data();
    let len = aes_key(&key)?
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad.as_bytes()),
            &mut sealed,
        )
        .map_err(|_| damaged("sealed: failed its integrity check (altered or damaged)"))?
        .len();
    sealed.truncate(len);
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    const VECTOR: &str = include_str!("../../../docs/backup-vector.json");
    const VECTOR_PLAINTEXT: &str = include_str!("../../../docs/backup-vector.plaintext.json");
    /// The vector's inputs, as docs/backup.md gives them.
    const VECTOR_PASSWORD: &str = "kata sandi cadangan";
    const VECTOR_PARAMS: KdfParams = KdfParams {
        memory_kib: 1024,
        iterations: 2,
        parallelism: 1,
    };

    fn vector_salt() -> [u8; SALT_LEN] {
        std::array::from_fn(|i| i as u8)
    }

    fn vector_nonce() -> [u8; NONCE_LEN] {
        std::array::from_fn(|i| 0x10 + i as u8)
    }

    /// docs/backup-vector.json is exactly what this build seals from the
    /// documented inputs (`SPSE_WRITE_VECTORS=1` writes it instead).
    #[test]
    fn the_vector_is_what_this_build_seals() {
        let plaintext = VECTOR_PLAINTEXT.trim_end();
        let file = seal_with(
            plaintext.as_bytes(),
            VECTOR_PASSWORD,
            VECTOR_PARAMS,
            vector_salt(),
            vector_nonce(),
        )
        .unwrap();
        if std::env::var_os("SPSE_WRITE_VECTORS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/backup-vector.json");
            std::fs::write(path, &file).unwrap();
            return;
        }
        assert_eq!(std::str::from_utf8(&file).unwrap(), VECTOR);
    }

    #[test]
    fn the_vector_opens_to_its_plaintext() {
        let opened = open(VECTOR.as_bytes(), VECTOR_PASSWORD, &Limits::default()).unwrap();
        assert_eq!(
            std::str::from_utf8(&opened).unwrap(),
            VECTOR_PLAINTEXT.trim_end()
        );
        assert!(is_backup(VECTOR.as_bytes()));
    }

    #[test]
    fn the_vector_associated_data_is_as_documented() {
        let members: Map<String, Value> = serde_json::from_str(VECTOR).unwrap();
        let bound = Bound {
            version: 1,
            params: VECTOR_PARAMS,
            salt: members["salt"].as_str().unwrap(),
            key_check: members["key_check"].as_str().unwrap(),
            nonce: members["nonce"].as_str().unwrap(),
        };
        let aad = bound.associated_data();
        assert!(aad.starts_with(
            "spse-auth-backup\nversion=1\nkdf=argon2id\nmemory_kib=1024\niterations=2\n\
             parallelism=1\nsalt=AAECAwQFBgcICQoLDA0ODw\nkey_check="
        ));
        assert!(aad.ends_with("\ncipher=AES-256-GCM\nnonce=EBESExQVFhcYGRob"));
    }
}
