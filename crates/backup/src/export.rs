//! Leaving SPSE Auth for another authenticator: the codes-only part of each
//! account (issuer, name, parameters, secret) in a file other apps read.
//! SPSE device keys and sites stay behind: no other app approves SPSE
//! logins, only SPSE Auth's own backup ([`crate::backup`]) carries them.
//!
//! - [`aegis_plain`] and [`aegis_encrypted`]: an Aegis vault export
//!   (version 1, content version 3), as Aegis itself writes one
//!   (beemdevelopment/Aegis docs/vault.md); Aegis, 2FAS, Ente Auth, Proton
//!   Authenticator and others import it.
//! - [`otpauth_list`]: one `otpauth://` link a line, which nearly every app
//!   imports.
//!
//! Every buffer that holds a secret is a [`Zeroizing`], sized up front so
//! that no reallocation leaves a copy behind.

use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use serde::Serialize;
use spse_otp::{Account, Kind};
use zeroize::Zeroizing;

use crate::backup::MIN_PASSWORD_CHARS;
use crate::error::{Error, Result};
use crate::format::Format;

/// Aegis's password slot derivation: scrypt N = 2^15, r = 8, p = 1 (what
/// Aegis writes and its importers expect).
pub const AEGIS_SCRYPT_LOG_N: u8 = 15;
const AEGIS_SCRYPT_R: u32 = 8;
const AEGIS_SCRYPT_P: u32 = 1;
const KEY_LEN: usize = 32;

/// The outer file: `{"version": 1, "header": ..., "db": ...}`.
#[derive(Serialize)]
struct AegisFile<'a, Db: Serialize> {
    version: u32,
    header: Header<'a>,
    db: Db,
}

#[derive(Serialize)]
struct Header<'a> {
    slots: Option<[PasswordSlot<'a>; 1]>,
    params: Option<KeyParams>,
}

/// A password slot (type 1): the master key wrapped with the scrypt key.
#[derive(Serialize)]
struct PasswordSlot<'a> {
    #[serde(rename = "type")]
    kind: u8,
    uuid: &'a str,
    key: String,
    key_params: KeyParams,
    n: u32,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

/// An AES-GCM nonce and tag, in hex, as Aegis stores them beside a ciphertext.
#[derive(Serialize)]
struct KeyParams {
    nonce: String,
    tag: String,
}

/// The content (`db`): version 3, entries, no groups.
#[derive(Serialize)]
struct Db<'a> {
    version: u32,
    entries: Vec<Entry<'a>>,
    groups: [(); 0],
    icons_optimized: bool,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'static str,
    favorite: bool,
    icon: Option<()>,
    info: Info<'a>,
    groups: [(); 0],
}

#[derive(Serialize)]
struct Info<'a> {
    secret: &'a str,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// A UUID version 4 (RFC 9562 section 5.4) from 16 random bytes.
fn uuid_v4(random: &SystemRandom) -> Result<String> {
    let mut b = [0u8; 16];
    random.fill(&mut b).map_err(|_| Error::NoRandomness)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// The Base32 secrets of `accounts`, kept (and wiped) while the entries
/// borrow them.
fn secrets(accounts: &[Account]) -> Vec<Zeroizing<String>> {
    accounts.iter().map(|a| a.secret().to_base32()).collect()
}

/// One account as an Aegis entry (issuer `""` when it has none, as Aegis
/// writes it; Steam with its fixed 30 s period).
fn entry<'a>(account: &'a Account, secret: &'a str, uuid: String) -> Entry<'a> {
    let (kind, period, counter) = match account.kind() {
        Kind::Totp { period } => ("totp", Some(period), None),
        Kind::Hotp { counter } => ("hotp", None, Some(counter)),
        Kind::Steam => ("steam", Some(spse_otp::STEAM_PERIOD), None),
    };
    Entry {
        kind,
        uuid,
        name: account.name(),
        issuer: account.issuer().unwrap_or(""),
        note: "",
        favorite: false,
        icon: None,
        info: Info {
            secret,
            algo: account.algorithm().as_str(),
            digits: account.digits(),
            period,
            counter,
        },
        groups: [],
    }
}

/// Room for the JSON of `accounts` and `extra` bytes more, so that writing
/// it never reallocates (a reallocation would leave a copy of the secrets
/// in freed memory): names at worst six bytes a byte (`\u0000`).
fn capacity(accounts: &[Account], extra: usize) -> usize {
    accounts.iter().fold(1024 + extra, |n, a| {
        n + 640
            + 6 * (a.name().len() + a.issuer().map_or(0, str::len))
            + 2 * a.secret().expose().len()
    })
}

/// `value` as pretty JSON and a final newline, in a buffer wiped on drop.
fn to_json(value: &impl Serialize, capacity: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    // Serialising these structs (string keys, strings, numbers) into a Vec
    // cannot fail; were it to, nothing half-written is returned.
    if serde_json::to_writer_pretty(&mut *out, value).is_err() || out.write_all(b"\n").is_err() {
        out.clear();
    }
    out
}

/// The accounts as a plain (unencrypted) Aegis export: every secret in the
/// clear, for a user who imports it at once and deletes it.
///
/// Entries get random UUIDs; should the system's random generator fail, the
/// entries get UUIDs numbered from 1 instead (unique within the file, which
/// is all Aegis asks).
pub fn aegis_plain(accounts: &[Account]) -> Zeroizing<Vec<u8>> {
    let secrets = secrets(accounts);
    let random = SystemRandom::new();
    let entries = accounts
        .iter()
        .zip(&secrets)
        .enumerate()
        .map(|(i, (account, secret))| {
            let uuid = uuid_v4(&random)
                .unwrap_or_else(|_| format!("00000000-0000-4000-8000-{:012x}", i + 1));
            entry(account, secret, uuid)
        })
        .collect();
    let file = AegisFile {
        version: 1,
        header: Header {
            slots: None,
            params: None,
        },
        db: Db {
            version: 3,
            entries,
            groups: [],
            icons_optimized: true,
        },
    };
    to_json(&file, capacity(accounts, 0))
}

/// A failure that fixed, valid inputs cannot cause, said rather than panicked.
fn cannot(what: &str) -> Error {
    Error::Unsupported {
        format: Format::Aegis,
        what: what.into(),
    }
}

/// AES-256-GCM of `plaintext` in place with `key` and a new random nonce,
/// no associated data (Aegis uses none): the nonce and tag, in hex.
fn seal(key: &[u8; KEY_LEN], plaintext: &mut [u8], random: &SystemRandom) -> Result<KeyParams> {
    let mut nonce = [0u8; NONCE_LEN];
    random.fill(&mut nonce).map_err(|_| Error::NoRandomness)?;
    // AES-256-GCM accepts every 32-byte key, and sealing fails only past
    // 64 GB: neither can happen here.
    let key = UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| cannot("AES-256-GCM refused its key"))?;
    let tag = key
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), plaintext)
        .map_err(|_| cannot("AES-256-GCM refused the content"))?;
    Ok(KeyParams {
        nonce: hex(&nonce),
        tag: hex(tag.as_ref()),
    })
}

/// The accounts as an encrypted Aegis export, as Aegis writes one: a random
/// master key seals the content; one password slot holds the master key
/// wrapped with scrypt(`password`, a random 32-byte salt, N = 2^15, r = 8,
/// p = 1). Refuses a password shorter than [`MIN_PASSWORD_CHARS`]
/// ([`Error::PasswordTooShort`]), as SPSE Auth's own backup does.
pub fn aegis_encrypted(accounts: &[Account], password: &str) -> Result<Vec<u8>> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    let random = SystemRandom::new();
    let mut master = Zeroizing::new([0u8; KEY_LEN]);
    let mut salt = [0u8; 32];
    random
        .fill(master.as_mut())
        .map_err(|_| Error::NoRandomness)?;
    random.fill(&mut salt).map_err(|_| Error::NoRandomness)?;

    let mut slot_key = Zeroizing::new([0u8; KEY_LEN]);
    // Fixed, valid parameters and a 32-byte output: scrypt cannot refuse them.
    let params = scrypt::Params::new(AEGIS_SCRYPT_LOG_N, AEGIS_SCRYPT_R, AEGIS_SCRYPT_P, KEY_LEN)
        .map_err(|_| cannot("scrypt refused its parameters"))?;
    scrypt::scrypt(password.as_bytes(), &salt, &params, slot_key.as_mut())
        .map_err(|_| cannot("scrypt refused its output length"))?;
    let mut wrapped = Zeroizing::new(*master);
    let key_params = seal(&slot_key, wrapped.as_mut(), &random)?;

    let secrets = secrets(accounts);
    let db = Db {
        version: 3,
        entries: accounts
            .iter()
            .zip(&secrets)
            .map(|(account, secret)| Ok(entry(account, secret, uuid_v4(&random)?)))
            .collect::<Result<_>>()?,
        groups: [],
        icons_optimized: true,
    };
    let mut content = to_json(&db, capacity(accounts, 0));
    // Aegis's db has no final newline inside the ciphertext.
    if content.last() == Some(&b'\n') {
        content.pop();
    }
    let params = seal(&master, &mut content, &random)?;
    let slot_uuid = uuid_v4(&random)?;
    let file = AegisFile {
        version: 1,
        header: Header {
            slots: Some([PasswordSlot {
                kind: 1,
                uuid: &slot_uuid,
                key: hex(wrapped.as_ref()),
                key_params,
                n: 1 << AEGIS_SCRYPT_LOG_N,
                r: AEGIS_SCRYPT_R,
                p: AEGIS_SCRYPT_P,
                salt: hex(&salt),
                repaired: true,
                is_backup: false,
            }]),
            params: Some(params),
        },
        db: STANDARD.encode(&*content),
    };
    // Only ciphertext and parameters are left: no secret in this buffer.
    Ok(to_json(&file, content.len() * 2 + 2048).to_vec())
}

/// The accounts as `otpauth://` links ([`Account::to_uri`]), one a line,
/// each line ending in `\n`: what nearly every authenticator imports.
pub fn otpauth_list(accounts: &[Account]) -> Zeroizing<Vec<u8>> {
    let uris: Vec<Zeroizing<String>> = accounts.iter().map(Account::to_uri).collect();
    let mut out = Zeroizing::new(Vec::with_capacity(uris.iter().map(|u| u.len() + 1).sum()));
    for uri in &uris {
        out.extend_from_slice(uri.as_bytes());
        out.push(b'\n');
    }
    out
}
