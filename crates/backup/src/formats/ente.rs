//! Ente Auth's exports (<https://github.com/ente-io/ente>, `mobile/apps/auth`):
//!
//! - the plain text export: one `otpauth://` link a line, each with Ente's
//!   own `codeDisplay` parameter (a JSON object: pinned, trashed, tags,
//!   note...) that tells it from any other list of links;
//! - the encrypted export, JSON
//!   `{version: 1, kdfParams: {memLimit, opsLimit, salt}, encryptedData, encryptionNonce}`:
//!   libsodium's `crypto_pwhash` (Argon2id v1.3, `memLimit` in bytes,
//!   `opsLimit` passes, one lane, a 32-byte key), then the same text sealed
//!   as one chunk of libsodium's `crypto_secretstream_xchacha20poly1305`
//!   (`encryptionNonce` is the stream's 24-byte header).
//!
//! Links are read as Ente's own reader reads them
//! (`mobile/apps/auth/lib/models/code.dart`): a parameter written `null` or
//! left empty takes the default, and a HOTP link without a counter starts
//! at 0. A link without an issuer takes its account name as issuer, as
//! Proton Authenticator's importer of these files does.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20::cipher::{KeyIvInit, StreamCipher};
use chacha20::{ChaCha20, R20, hchacha};
use poly1305::Poly1305;
use poly1305::universal_hash::KeyInit;
use serde_json::Value;
use spse_otp::Account;
use zeroize::{Zeroize, Zeroizing};

use super::{Detected, Format, Imported, Input, Limits, SkipReason, Skipped, from_uri};
use crate::error::{Error, Result};

/// The one version of the encrypted export there is.
const VERSION: u64 = 1;
/// libsodium's `crypto_pwhash_SALTBYTES`.
const SALT_LEN: usize = 16;
/// libsodium's `crypto_secretstream_xchacha20poly1305_HEADERBYTES`.
const HEADER_LEN: usize = 24;
/// libsodium's `crypto_secretstream_xchacha20poly1305_ABYTES`: the tag byte
/// and the Poly1305 MAC each chunk adds.
const CHUNK_OVERHEAD: usize = 1 + 16;
/// libsodium's `crypto_pwhash_argon2id_MEMLIMIT_MIN`, in bytes.
const MIN_MEM_LIMIT: u64 = 8192;
/// The most Argon2id passes a file may ask (Ente's strongest profile asks 4;
/// its test files 16): more would only make a hostile file hang the app.
const MAX_OPS_LIMIT: u64 = 64;
/// The secretstream tag of a chunk that is not the last.
const TAG_MESSAGE: u8 = 0;
/// The secretstream tag of the last chunk.
const TAG_FINAL: u8 = 3;

/// Ente's export: its encrypted JSON, or text of links of which at least one
/// carries Ente's `codeDisplay` parameter (other lists of links are left to
/// the plain list reader, which runs later).
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    if let Some(json) = &input.json {
        return is_encrypted_export(json).then_some(Detected {
            format: Format::Ente,
            encrypted: true,
        });
    }
    let text = input.text?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // Not JSON (truncated?) but plainly Ente's: `read` says it is damaged.
        let ours = ["\"kdfParams\"", "\"encryptedData\"", "\"encryptionNonce\""]
            .iter()
            .filter(|key| trimmed.contains(*key))
            .count()
            >= 2;
        return ours.then_some(Detected {
            format: Format::Ente,
            encrypted: true,
        });
    }
    text.lines()
        .map(str::trim)
        .any(|line| is_link(line) && has_code_display(line))
        .then_some(Detected {
            format: Format::Ente,
            encrypted: false,
        })
}

/// Opens Ente's export: the encrypted JSON with `password`, or the links.
pub(crate) fn read(input: &Input, password: Option<&str>, limits: &Limits) -> Result<Imported> {
    match (&input.json, input.text) {
        (Some(json), _) if is_encrypted_export(json) => {
            let password = password.ok_or(Error::PasswordNeeded {
                format: Format::Ente,
            })?;
            let plaintext = decrypt(json, password, limits)?;
            let text = std::str::from_utf8(&plaintext)
                .map_err(|_| damaged("encryptedData: the opened export is not UTF-8 text"))?;
            Ok(read_links(text))
        }
        (None, Some(text)) if text.trim_start().starts_with('{') => Err(damaged(
            "the file is not valid JSON (cut short, or changed by hand)",
        )),
        (None, Some(text)) => Ok(read_links(text)),
        _ => Err(damaged(
            "the file is neither Ente's encrypted JSON nor text",
        )),
    }
}

/// Whether `json` is the encrypted export's object.
fn is_encrypted_export(json: &Value) -> bool {
    json.get("kdfParams").is_some_and(Value::is_object)
        && json.get("encryptedData").is_some()
        && json.get("encryptionNonce").is_some()
}

/// A [`Error::Damaged`] of Ente.
fn damaged(what: impl Into<String>) -> Error {
    Error::damaged(Format::Ente, what)
}

/// Whether `line` starts with `otpauth://`, in any case.
fn is_link(line: &str) -> bool {
    line.get(..10)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://"))
}

/// Whether the link's query has Ente's `codeDisplay` parameter.
fn has_code_display(link: &str) -> bool {
    link.split_once('?').is_some_and(|(_, query)| {
        query
            .split('&')
            .any(|pair| pair.split('=').next() == Some("codeDisplay"))
    })
}

/// Every link of Ente's text export: the accounts, and the links SPSE Auth
/// cannot use with why. Blank lines are passed over.
fn read_links(text: &str) -> Imported {
    let mut accounts = Vec::new();
    let mut skipped = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let link = as_ente_reads(line);
        match from_uri(&link).and_then(issuer_or_name) {
            Ok(account) => accounts.push(account),
            Err(skip) => {
                let (issuer, name) = label_hint(line, index);
                skipped.push(Skipped {
                    issuer,
                    name,
                    reason: skip.reason,
                });
            }
        }
    }
    Imported {
        format: Format::Ente,
        accounts,
        skipped,
    }
}

/// `account`, its name standing as the issuer too when the link has none,
/// as Proton Authenticator's importer of Ente's files does (and its tests
/// expect): Ente shows such an entry by its name alone.
fn issuer_or_name(account: Account) -> std::result::Result<Account, Skipped> {
    if account.issuer().is_some() || account.name().is_empty() {
        return Ok(account);
    }
    let name = account.name().to_owned();
    Account::new(
        Some(name.clone()),
        name.clone(),
        account.algorithm(),
        account.digits(),
        account.kind(),
        account.secret().clone(),
    )
    .map_err(|e| Skipped {
        issuer: None,
        name,
        reason: SkipReason::Invalid(e.to_string()),
    })
}

/// The link as Ente's reader takes it: `codeDisplay` dropped (Ente's display
/// settings, nothing SPSE Auth keeps), `algorithm`, `digits` and `period`
/// written `null` or empty dropped (Ente reads them as the defaults), and
/// `counter=0` added to a HOTP link without a counter (Ente starts it at 0).
fn as_ente_reads(line: &str) -> Zeroizing<String> {
    let Some((head, query)) = line.split_once('?') else {
        return Zeroizing::new(line.to_owned());
    };
    let mut link = Zeroizing::new(String::with_capacity(line.len() + 10));
    link.push_str(head);
    let mut separator = '?';
    let mut has_counter = false;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let defaulted = matches!(
            name.to_ascii_lowercase().as_str(),
            "algorithm" | "digits" | "period"
        ) && (value.is_empty() || value.eq_ignore_ascii_case("null"));
        if name == "codeDisplay" || defaulted {
            continue;
        }
        has_counter |= name.eq_ignore_ascii_case("counter");
        link.push(separator);
        link.push_str(pair);
        separator = '&';
    }
    let kind = head.get(10..).and_then(|rest| rest.split('/').next());
    if kind.is_some_and(|kind| kind.eq_ignore_ascii_case("hotp")) && !has_counter {
        link.push(separator);
        link.push_str("counter=0");
    }
    link
}

/// The issuer and name a link that cannot be read says, best effort, to show
/// beside why it was left out: the label's text and the `issuer` parameter,
/// percent-decoded; never the secret. A line that is no link at all is named
/// by its number.
fn label_hint(line: &str, index: usize) -> (Option<String>, String) {
    if !is_link(line) {
        return (None, format!("line {}", index + 1));
    }
    let rest = line.get(10..).unwrap_or("");
    let (head, query) = rest.split_once('?').unwrap_or((rest, ""));
    let label = percent_decode(head.split_once('/').map_or("", |(_, label)| label));
    let issuer = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("issuer="))
        .map(|issuer| percent_decode(&issuer.replace('+', " ")))
        .filter(|issuer| !issuer.trim().is_empty());
    match label.split_once(':') {
        Some((prefix, name)) => {
            let prefix = prefix.trim();
            let issuer = issuer.or_else(|| (!prefix.is_empty()).then(|| prefix.to_owned()));
            (issuer, name.trim().to_owned())
        }
        None => (issuer, label.trim().to_owned()),
    }
}

/// `%XX` decoded (a broken escape kept as it is), invalid UTF-8 replaced.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| text.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The encrypted export opened with `password`: its text. Every parameter is
/// checked before the key is derived, the memory against `limits` first.
fn decrypt(json: &Value, password: &str, limits: &Limits) -> Result<Zeroizing<Vec<u8>>> {
    match json.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > VERSION) => {
            return Err(Error::NewerVersion {
                format: Format::Ente,
                version: n.to_string(),
            });
        }
        Some(_) => return Err(damaged("version: not 1")),
        None => return Err(damaged("version: missing")),
    }
    let kdf = json
        .get("kdfParams")
        .ok_or_else(|| damaged("kdfParams: missing"))?;
    let mem_limit = number(kdf, "memLimit")?;
    let ops_limit = number(kdf, "opsLimit")?;
    let salt = base64_field(kdf, "kdfParams.salt", "salt")?;
    if salt.len() != SALT_LEN {
        return Err(damaged(format!(
            "kdfParams.salt: {} bytes, not {SALT_LEN}",
            salt.len()
        )));
    }
    if !(1..=MAX_OPS_LIMIT).contains(&ops_limit) {
        return Err(Error::Unsupported {
            format: Format::Ente,
            what: format!(
                "kdfParams.opsLimit: {ops_limit} passes is outside 1 to {MAX_OPS_LIMIT}: no Ente \
                 export asks that"
            ),
        });
    }
    if mem_limit < MIN_MEM_LIMIT {
        return Err(damaged(format!(
            "kdfParams.memLimit: {mem_limit} bytes is below libsodium's least, {MIN_MEM_LIMIT}"
        )));
    }
    limits.check_memory(Format::Ente, mem_limit)?;
    let data = base64_field(json, "encryptedData", "encryptedData")?;
    if data.len() < CHUNK_OVERHEAD {
        return Err(damaged(format!(
            "encryptedData: {} bytes, shorter than one sealed chunk ({CHUNK_OVERHEAD})",
            data.len()
        )));
    }
    let header = base64_field(json, "encryptionNonce", "encryptionNonce")?;
    let header: [u8; HEADER_LEN] = header.as_slice().try_into().map_err(|_| {
        damaged(format!(
            "encryptionNonce: {} bytes, not {HEADER_LEN}",
            header.len()
        ))
    })?;

    let mem_kib = u32::try_from(mem_limit / 1024).map_err(|_| {
        damaged(format!(
            "kdfParams.memLimit: {mem_limit} bytes is too large"
        ))
    })?;
    let passes = u32::try_from(ops_limit).unwrap_or(1);
    let params = argon2::Params::new(mem_kib, passes, 1, Some(32))
        .map_err(|e| damaged(format!("kdfParams: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.as_bytes(), &salt, key.as_mut())
        .map_err(|e| damaged(format!("kdfParams: {e}")))?;

    match open_final_chunk(&key, &header, &data) {
        Ok(plaintext) => Ok(plaintext),
        Err(Open::Mac) => Err(Error::WrongPassword {
            format: Format::Ente,
        }),
        Err(Open::Tag(tag)) => Err(damaged(format!(
            "encryptedData: the sealed chunk's tag is {tag}, not a last chunk's (0 or 3): the \
             export was cut short or is not one chunk"
        ))),
    }
}

/// A non-negative integer `field` of `kdfParams`.
fn number(kdf: &Value, field: &str) -> Result<u64> {
    match kdf.get(field) {
        Some(value) => value
            .as_u64()
            .ok_or_else(|| damaged(format!("kdfParams.{field}: not a whole number"))),
        None => Err(damaged(format!("kdfParams.{field}: missing"))),
    }
}

/// The Base64 string `key` of `object`, decoded; `what` names it in errors.
fn base64_field(object: &Value, what: &str, key: &str) -> Result<Vec<u8>> {
    let text = object
        .get(key)
        .ok_or_else(|| damaged(format!("{what}: missing")))?
        .as_str()
        .ok_or_else(|| damaged(format!("{what}: not a string")))?;
    STANDARD
        .decode(text.trim())
        .map_err(|_| damaged(format!("{what}: not Base64")))
}

/// Why a sealed chunk did not open.
#[derive(Debug)]
enum Open {
    /// The MAC does not match: another key (a wrong password), or changed bytes.
    Mac,
    /// It opened, but its tag says more chunks follow (or asks a rekey).
    Tag(u8),
}

/// Opens `chunk`, the first and only chunk of a libsodium
/// `crypto_secretstream_xchacha20poly1305` stream with `header`, as
/// `crypto_secretstream_xchacha20poly1305_pull` does: the subkey is
/// HChaCha20(key, header[..16]); ChaCha20 (IETF) with nonce
/// `counter 1 ‖ header[16..]` gives the Poly1305 key (block 0), the tag byte
/// (block 1) and the message (blocks 2...); the MAC covers the tag's whole
/// 64-byte block, the ciphertext and libsodium's padding, and the two lengths. The MAC
/// is checked before anything is decrypted. Ente writes its export as one
/// chunk tagged FINAL, and Ente's own reader (like Proton's importer) also
/// takes one tagged MESSAGE; any other tag means chunks are missing.
fn open_final_chunk(
    key: &[u8; 32],
    header: &[u8; HEADER_LEN],
    chunk: &[u8],
) -> std::result::Result<Zeroizing<Vec<u8>>, Open> {
    let mlen = chunk.len().checked_sub(CHUNK_OVERHEAD).ok_or(Open::Mac)?;
    let (tag_byte, rest) = chunk.split_first().ok_or(Open::Mac)?;
    let (ciphertext, mac) = rest.split_at(mlen);

    let mut hchacha_input = [0u8; 16];
    hchacha_input.copy_from_slice(&header[..16]);
    let mut derived = hchacha::<R20>(key.into(), &hchacha_input.into());
    let mut subkey = Zeroizing::new([0u8; 32]);
    subkey.copy_from_slice(&derived);
    derived.as_mut_slice().zeroize();
    let mut nonce = [0u8; 12];
    nonce[0] = 1;
    nonce[4..].copy_from_slice(&header[16..]);
    let mut cipher = ChaCha20::new((&*subkey).into(), &nonce.into());

    let mut block = Zeroizing::new([0u8; 64]);
    cipher.apply_keystream(block.as_mut());
    let poly = Poly1305::new_from_slice(&block[..32]).map_err(|_| Open::Mac)?;
    block.fill(0);
    block[0] = *tag_byte;
    cipher.apply_keystream(block.as_mut());
    let tag = block[0];
    block[0] = *tag_byte;

    // libsodium pads the ciphertext with `(0x10 - 64 + mlen) & 0xf` zeros,
    // which is `mlen % 16`, not the 16-byte alignment it looks like: the MAC
    // is over these exact bytes, so they are laid out as they are.
    let mut authenticated = Zeroizing::new(Vec::with_capacity(64 + mlen + 16 + 16));
    authenticated.extend_from_slice(block.as_ref());
    authenticated.extend_from_slice(ciphertext);
    authenticated.resize(64 + mlen + mlen % 16, 0);
    authenticated.extend_from_slice(&0u64.to_le_bytes());
    authenticated.extend_from_slice(&((64 + mlen) as u64).to_le_bytes());
    let computed = poly.compute_unpadded(&authenticated);
    if !constant_time_eq(computed.as_slice(), mac) {
        return Err(Open::Mac);
    }

    let mut plaintext = Zeroizing::new(ciphertext.to_vec());
    cipher.apply_keystream(plaintext.as_mut_slice());
    if tag != TAG_FINAL && tag != TAG_MESSAGE {
        return Err(Open::Tag(tag));
    }
    Ok(plaintext)
}

/// Whether `a` and `b` are equal, in a time that does not depend on where
/// they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `crypto_secretstream_xchacha20poly1305_push` of one chunk, the
    /// mirror of [`open_final_chunk`] (which Ente's real files check).
    fn seal(key: &[u8; 32], header: &[u8; HEADER_LEN], message: &[u8], tag: u8) -> Vec<u8> {
        let mut input = [0u8; 16];
        input.copy_from_slice(&header[..16]);
        let subkey = hchacha::<R20>(&(*key).into(), &input.into());
        let mut nonce = [0u8; 12];
        nonce[0] = 1;
        nonce[4..].copy_from_slice(&header[16..]);
        let mut cipher = ChaCha20::new(&subkey, &nonce.into());
        let mut block = [0u8; 64];
        cipher.apply_keystream(&mut block);
        let poly = Poly1305::new_from_slice(&block[..32]).unwrap();
        let mut block = [0u8; 64];
        block[0] = tag;
        cipher.apply_keystream(&mut block);
        let mut ciphertext = message.to_vec();
        cipher.apply_keystream(&mut ciphertext);
        let mut authenticated = block.to_vec();
        authenticated.extend_from_slice(&ciphertext);
        authenticated.resize(64 + message.len() + message.len() % 16, 0);
        authenticated.extend_from_slice(&0u64.to_le_bytes());
        authenticated.extend_from_slice(&((64 + message.len()) as u64).to_le_bytes());
        let mut out = vec![block[0]];
        out.extend_from_slice(&ciphertext);
        out.extend_from_slice(&poly.compute_unpadded(&authenticated));
        out
    }

    #[test]
    fn one_chunk_tagged_final_or_message_opens_and_no_other() {
        let key = [7u8; 32];
        let header = [9u8; HEADER_LEN];
        for tag in [TAG_FINAL, TAG_MESSAGE] {
            let chunk = seal(&key, &header, b"otpauth://totp/a?secret=AAAA", tag);
            let plain = open_final_chunk(&key, &header, &chunk).unwrap();
            assert_eq!(plain.as_slice(), b"otpauth://totp/a?secret=AAAA");
        }
        for tag in [1u8, 2] {
            let chunk = seal(&key, &header, b"more follows", tag);
            assert!(
                matches!(open_final_chunk(&key, &header, &chunk), Err(Open::Tag(t)) if t == tag)
            );
        }
    }

    #[test]
    fn a_cut_or_changed_chunk_does_not_open() {
        let key = [7u8; 32];
        let header = [9u8; HEADER_LEN];
        let chunk = seal(&key, &header, b"otpauth://totp/a?secret=AAAA", TAG_FINAL);
        for len in 0..chunk.len() {
            assert!(matches!(
                open_final_chunk(&key, &header, &chunk[..len]),
                Err(Open::Mac)
            ));
        }
        let mut changed = chunk.clone();
        changed[3] ^= 1;
        assert!(matches!(
            open_final_chunk(&key, &header, &changed),
            Err(Open::Mac)
        ));
        assert!(matches!(
            open_final_chunk(&[8u8; 32], &header, &chunk),
            Err(Open::Mac)
        ));
    }

    #[test]
    fn links_are_read_as_ente_does() {
        let link = as_ente_reads(
            "otpauth://hotp/A:b?secret=AAAA&algorithm=null&digits=&period=null&codeDisplay=%7B%7D",
        );
        assert_eq!(link.as_str(), "otpauth://hotp/A:b?secret=AAAA&counter=0");
        let link = as_ente_reads("otpauth://totp/A:b?secret=AAAA&period=60");
        assert_eq!(link.as_str(), "otpauth://totp/A:b?secret=AAAA&period=60");
    }

    #[test]
    fn a_skipped_link_is_named_without_its_secret() {
        let (issuer, name) = label_hint(
            "otpauth://motp/Air%20Canada:Ben?secret=ZZZZ&issuer=Air+Canada",
            0,
        );
        assert_eq!(issuer.as_deref(), Some("Air Canada"));
        assert_eq!(name, "Ben");
        assert_eq!(label_hint("garbage", 2), (None, "line 3".to_owned()));
    }
}
