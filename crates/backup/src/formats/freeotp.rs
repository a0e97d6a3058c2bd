//! FreeOTP's and FreeOTP+'s files (<https://github.com/freeotp/freeotp-android>,
//! <https://github.com/helloworld1/FreeOTPPlus>), each token
//! `{algo, counter, digits, issuerExt, issuerInt, label, period, secret, type}`
//! with the secret as a list of signed bytes:
//!
//! - FreeOTP+'s JSON export: `{tokens: [...], tokenOrder: [...]}`.
//! - FreeOTP 1.x's token store `tokens.xml` (also FreeOTP+'s internal file,
//!   taken from a rooted phone): an Android shared-preferences `<map>` with
//!   one `<string>` of token JSON per token, and a `tokenOrder`.
//! - FreeOTP 2's backup (`externalBackup.xml`): not XML but a Java-serialised
//!   `HashMap<String, String>` (`ObjectOutputStream`,
//!   <https://docs.oracle.com/en/java/javase/21/docs/specs/serialization/protocol.html>).
//!   `masterKey` holds a random AES key sealed with AES-256-GCM under a
//!   PBKDF2 key of the password (`mAlgorithm` `PBKDF2withHmacSHA1` or
//!   `...SHA512`, `mIterations`, `mSalt`; the nonce in the DER
//!   `mParameters`, `mToken` the associated data). Each token has two
//!   entries: `<uuid>-token`, its parameters as plain JSON, and `<uuid>`,
//!   `{"key": ...}` with its secret sealed the same way under the master key.
//!
//! Tokens are read in the file's order; `TOTP` and `HOTP` are the kinds
//! FreeOTP makes, and a TOTP token whose issuer is `Steam` makes Steam codes
//! (as FreeOTP+ and Aegis read it).

use serde_json::Value;
use zeroize::Zeroizing;

use super::crypto::{self, SecretJson};
use super::{Detected, Entry, EntrySecret, Format, Imported, Input, Limits, SkipReason, Skipped};
use crate::error::{Error, Result};

/// Java serialisation's stream signature (`ObjectOutputStream`).
const JAVA_SERIALISED: &[u8] = b"\xac\xed\x00\x05";

/// FreeOTP+'s JSON, FreeOTP's `tokens.xml`, or FreeOTP 2's (encrypted)
/// backup.
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    if crypto::broken_json_with(input, &["tokens", "secret"]) {
        return Some(Detected {
            format: Format::FreeOtpPlus,
            encrypted: false,
        });
    }
    if let Some(json) = &input.json {
        let root = json.as_object()?;
        let first = root.get("tokens")?.as_array()?.first();
        let tokenish = first.is_none_or(|t| t.get("secret").is_some_and(Value::is_array));
        return (tokenish && (root.contains_key("tokenOrder") || first.is_some())).then_some(
            Detected {
                format: Format::FreeOtpPlus,
                encrypted: false,
            },
        );
    }
    if let Some(text) = input.text {
        let tokenish = [
            "&quot;secret&quot;",
            "&quot;algo&quot;",
            "&quot;issuerExt&quot;",
        ]
        .iter()
        .any(|key| text.contains(key));
        return (text.contains("<map") && tokenish).then_some(Detected {
            format: Format::FreeOtp,
            encrypted: false,
        });
    }
    let bytes = input.bytes;
    (bytes.starts_with(JAVA_SERIALISED) && contains(bytes, b"masterKey")).then_some(Detected {
        format: Format::FreeOtp,
        encrypted: true,
    })
}

/// Reads the tokens of FreeOTP+'s JSON, FreeOTP's `tokens.xml`, or FreeOTP
/// 2's backup (with `password`).
pub(crate) fn read(input: &Input, password: Option<&str>, _limits: &Limits) -> Result<Imported> {
    let found = detect(input).map(|d| d.format);
    if let Some(json) = &input.json {
        let tokens = json
            .get("tokens")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::damaged(Format::FreeOtpPlus, "tokens: missing"))?;
        let mut imported = empty(Format::FreeOtpPlus);
        for token in tokens {
            push(&mut imported, read_token(token));
        }
        return Ok(imported);
    }
    if found == Some(Format::FreeOtpPlus) {
        return Err(crypto::broken_json(Format::FreeOtpPlus, input));
    }
    if let (Some(text), Some(Format::FreeOtp)) = (input.text, found) {
        return read_xml(text);
    }
    if found == Some(Format::FreeOtp) {
        let password = password.ok_or(Error::PasswordNeeded {
            format: Format::FreeOtp,
        })?;
        return v2::read(input.bytes, password);
    }
    Err(Error::Unrecognised)
}

/// An empty import of `format`.
fn empty(format: Format) -> Imported {
    Imported {
        format,
        accounts: Vec::new(),
        skipped: Vec::new(),
    }
}

/// Adds one token's result.
fn push(imported: &mut Imported, token: std::result::Result<spse_otp::Account, Skipped>) {
    match token {
        Ok(account) => imported.accounts.push(account),
        Err(skipped) => imported.skipped.push(skipped),
    }
}

/// `tokens.xml`: every `<string name="...">` but `tokenOrder` holds one
/// token's JSON, XML-escaped.
fn read_xml(text: &str) -> Result<Imported> {
    const FORMAT: Format = Format::FreeOtp;
    let mut imported = empty(FORMAT);
    let mut rest = text;
    while let Some(start) = rest.find("<string") {
        rest = &rest[start..];
        let open_end = rest
            .find('>')
            .ok_or_else(|| Error::damaged(FORMAT, "a <string> element is cut off"))?;
        let tag = &rest[..open_end];
        let body_and_more = &rest[open_end + 1..];
        let close = body_and_more
            .find("</string>")
            .ok_or_else(|| Error::damaged(FORMAT, "a <string> element is not closed"))?;
        let body = &body_and_more[..close];
        rest = &body_and_more[close..];
        let name = attribute(tag, "name").map(|n| unescape(&n));
        if name.as_deref().map(|n| n.as_str()) == Some("tokenOrder") {
            continue;
        }
        let json = unescape(body);
        let token = SecretJson::parse(FORMAT, "a token", json.as_bytes())?;
        push(&mut imported, read_token(&token.0));
    }
    Ok(imported)
}

/// The value of attribute `name` of an element's opening tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let pattern = format!("{name}=\"");
    let start = tag.find(&pattern)? + pattern.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_owned())
}

/// XML's five named entities and numeric character references decoded.
fn unescape(text: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "quot" => Some('"'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                _ => {
                    let code = match entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => entity.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One token. The issuer is `issuerExt` (what FreeOTP shows), else
/// `issuerInt`; the name is `label`.
fn read_token(token: &Value) -> std::result::Result<spse_otp::Account, Skipped> {
    read_token_with(token, None)
}

/// [`read_token`], with the secret given apart (FreeOTP 2 seals it apart
/// from the token's parameters).
fn read_token_with(
    token: &Value,
    sealed_secret: Option<std::result::Result<Zeroizing<Vec<u8>>, SkipReason>>,
) -> std::result::Result<spse_otp::Account, Skipped> {
    let text = |key: &str| {
        token
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let issuer = text("issuerExt").or_else(|| text("issuerInt"));
    let name = text("label").unwrap_or_default();
    let skip = |reason| Skipped {
        issuer: issuer.clone(),
        name: name.clone(),
        reason,
    };
    let mut kind = text("type").unwrap_or_else(|| "TOTP".into());
    if !matches!(
        kind.to_ascii_uppercase().as_str(),
        "TOTP" | "HOTP" | "STEAM"
    ) {
        return Err(skip(SkipReason::UnsupportedType(kind)));
    }
    if kind.eq_ignore_ascii_case("totp") && issuer.as_deref() == Some("Steam") {
        kind = "steam".into();
    }
    let secret = match sealed_secret {
        Some(secret) => secret,
        None => secret_bytes(token.get("secret")),
    }
    .map_err(skip)?;
    let number = |key: &str| crypto::entry_number(token.get(key), key).map_err(skip);
    Entry {
        issuer: issuer.clone(),
        name: name.clone(),
        kind,
        algorithm: text("algo"),
        digits: number("digits")?,
        period: number("period")?,
        counter: number("counter")?,
        secret: EntrySecret::Bytes(secret),
    }
    .build()
}

/// A secret written as Java's signed bytes (`[-19, 64, ...]`).
fn secret_bytes(value: Option<&Value>) -> std::result::Result<Zeroizing<Vec<u8>>, SkipReason> {
    let items = value
        .and_then(Value::as_array)
        .ok_or_else(|| SkipReason::Invalid("secret: missing".into()))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(items.len()));
    for item in items {
        let byte = item
            .as_i64()
            .and_then(|b| {
                i8::try_from(b)
                    .ok()
                    .map(|b| b as u8)
                    .or_else(|| u8::try_from(b).ok())
            })
            .ok_or_else(|| SkipReason::Invalid("secret: not a list of bytes".into()))?;
        bytes.push(byte);
    }
    Ok(bytes)
}

/// FreeOTP 2's backup: the Java-serialised map, its master key, its tokens.
mod v2 {
    use serde_json::Value;
    use zeroize::Zeroizing;

    use super::{Imported, JAVA_SERIALISED, empty, push, read_token_with, secret_bytes};
    use crate::error::{Error, Result};
    use crate::formats::crypto::{self, Prf, SecretJson};
    use crate::formats::{Format, SkipReason};

    const FORMAT: Format = Format::FreeOtp;

    /// The most entries a map is read with: two a token, far above any
    /// real backup.
    const MAX_ENTRIES: usize = 100_000;

    /// `ObjectOutputStream`'s type codes used by a `HashMap<String, String>`.
    const TC_NULL: u8 = 0x70;
    const TC_REFERENCE: u8 = 0x71;
    const TC_CLASSDESC: u8 = 0x72;
    const TC_OBJECT: u8 = 0x73;
    const TC_STRING: u8 = 0x74;
    const TC_BLOCKDATA: u8 = 0x77;
    const TC_ENDBLOCKDATA: u8 = 0x78;
    const TC_LONGSTRING: u8 = 0x7c;
    /// The handle of the first string: 0x7e0000 is the class description,
    /// 0x7e0001 the map.
    const FIRST_STRING_HANDLE: u32 = 0x7e_0002;

    /// Opens the backup with `password` and reads its tokens, in the file's
    /// order.
    pub(super) fn read(bytes: &[u8], password: &str) -> Result<Imported> {
        let map = parse_map(bytes)?;
        let get = |key: &str| map.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let master =
            get("masterKey").ok_or_else(|| Error::damaged(FORMAT, "masterKey: missing"))?;
        let master = SecretJson::parse(FORMAT, "masterKey", master.as_bytes())?;
        let key = master_key(&master.0, password)?;
        let mut imported = empty(FORMAT);
        for (name, value) in &map {
            if name == "masterKey" || name.ends_with("-token") {
                continue;
            }
            let Some(token) = get(&format!("{name}-token")) else {
                continue;
            };
            let token = SecretJson::parse(FORMAT, "a token", token.as_bytes())?;
            let secret = token_secret(value, &key);
            push(&mut imported, read_token_with(&token.0, Some(secret)));
        }
        Ok(imported)
    }

    /// The master key, unsealed with the password's key.
    fn master_key(master: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>> {
        let prf = match master.get("mAlgorithm").and_then(Value::as_str) {
            Some(a) if a.eq_ignore_ascii_case("PBKDF2withHmacSHA1") => Prf::Sha1,
            Some(a) if a.eq_ignore_ascii_case("PBKDF2withHmacSHA512") => Prf::Sha512,
            Some(_) => {
                return Err(Error::Unsupported {
                    format: FORMAT,
                    what: "masterKey.mAlgorithm: a key derivation this build does not know".into(),
                });
            }
            None => return Err(Error::damaged(FORMAT, "masterKey.mAlgorithm: missing")),
        };
        let iterations = master
            .get("mIterations")
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::damaged(FORMAT, "masterKey.mIterations: missing"))?;
        let salt = secret_bytes(master.get("mSalt"))
            .map_err(|_| Error::damaged(FORMAT, "masterKey.mSalt: not a list of bytes"))?;
        let sealed = master
            .get("mEncryptedKey")
            .ok_or_else(|| Error::damaged(FORMAT, "masterKey.mEncryptedKey: missing"))?;
        let sealed = Sealed::read(sealed)
            .map_err(|what| Error::damaged(FORMAT, format!("masterKey.mEncryptedKey.{what}")))?;
        let key = crypto::pbkdf2(
            FORMAT,
            "masterKey.mIterations",
            prf,
            iterations,
            &salt,
            password,
        )?;
        let master = sealed
            .open(&*key)
            .ok_or(Error::WrongPassword { format: FORMAT })?;
        if master.len() != 32 {
            return Err(Error::damaged(
                FORMAT,
                format!(
                    "masterKey: a {}-byte key where 32 are expected",
                    master.len()
                ),
            ));
        }
        Ok(master)
    }

    /// A token's secret: its `{"key": "<sealed JSON>"}` entry opened with
    /// the master key, or why not.
    fn token_secret(
        entry: &str,
        master: &[u8],
    ) -> std::result::Result<Zeroizing<Vec<u8>>, SkipReason> {
        let invalid = |what: &str| SkipReason::Invalid(format!("secret: {what}"));
        let entry = SecretJson::parse(FORMAT, "a token key", entry.as_bytes())
            .map_err(|_| invalid("its sealed key is not JSON"))?;
        let inner = entry
            .0
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("its sealed key is missing"))?;
        let inner = SecretJson::parse(FORMAT, "a token key", inner.as_bytes())
            .map_err(|_| invalid("its sealed key is not JSON"))?;
        let sealed = Sealed::read(&inner.0).map_err(|what| invalid(&format!("key.{what}")))?;
        sealed
            .open(master)
            .ok_or_else(|| invalid("does not open with the backup's key"))
    }

    /// An `EncryptedKey`: `{mCipher, mCipherText, mParameters, mToken}`.
    struct Sealed {
        /// Ciphertext then tag.
        data: Zeroizing<Vec<u8>>,
        /// The GCM nonce, from `mParameters`.
        nonce: Vec<u8>,
        /// The associated data (`AES`, `HmacSHA1`, ...).
        aad: String,
    }

    impl Sealed {
        /// Reads one; the error names the field at fault.
        fn read(value: &Value) -> std::result::Result<Sealed, String> {
            match value.get("mCipher").and_then(Value::as_str) {
                Some("AES/GCM/NoPadding") => {}
                Some(_) => return Err("mCipher: not AES/GCM/NoPadding".into()),
                None => return Err("mCipher: missing".into()),
            }
            let data = secret_bytes(value.get("mCipherText"))
                .map_err(|_| "mCipherText: not a list of bytes".to_owned())?;
            let parameters = secret_bytes(value.get("mParameters"))
                .map_err(|_| "mParameters: not a list of bytes".to_owned())?;
            let nonce = gcm_nonce(&parameters).ok_or("mParameters: no GCM nonce")?;
            let aad = value
                .get("mToken")
                .and_then(Value::as_str)
                .ok_or("mToken: missing")?
                .to_owned();
            Ok(Sealed { data, nonce, aad })
        }

        /// The plaintext under `key`, or `None`.
        fn open(&self, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
            crypto::open_gcm(key, &self.nonce, &self.data, self.aad.as_bytes())
        }
    }

    /// The nonce of DER `GCMParameters` (`SEQUENCE { OCTET STRING nonce,
    /// INTEGER tagLength }`), or of a bare `OCTET STRING` as older Android
    /// versions write it.
    fn gcm_nonce(der: &[u8]) -> Option<Vec<u8>> {
        let (tag, body) = der_element(der)?;
        match tag {
            0x04 => Some(body.to_vec()),
            0x30 => {
                let (tag, nonce) = der_element(body)?;
                (tag == 0x04).then(|| nonce.to_vec())
            }
            _ => None,
        }
    }

    /// The tag and body of the DER element `der` starts with (short or one-
    /// or two-byte long length).
    fn der_element(der: &[u8]) -> Option<(u8, &[u8])> {
        let (&tag, rest) = der.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = match first {
            0..=0x7f => (usize::from(first), rest),
            0x81 => {
                let (&len, rest) = rest.split_first()?;
                (usize::from(len), rest)
            }
            0x82 => {
                let (len, rest) = rest.split_at_checked(2)?;
                (usize::from(u16::from_be_bytes([len[0], len[1]])), rest)
            }
            _ => return None,
        };
        Some((tag, rest.get(..len)?))
    }

    /// A reader of the serialised stream; every read is bounds-checked.
    struct Stream<'a> {
        /// The whole stream.
        bytes: &'a [u8],
        /// Where the next read starts.
        at: usize,
    }

    impl<'a> Stream<'a> {
        /// The next `len` bytes.
        fn take(&mut self, len: usize) -> Result<&'a [u8]> {
            let end = self
                .at
                .checked_add(len)
                .filter(|end| *end <= self.bytes.len())
                .ok_or_else(|| Error::damaged(FORMAT, "the backup is cut off"))?;
            let bytes = &self.bytes[self.at..end];
            self.at = end;
            Ok(bytes)
        }

        /// The next `N` bytes as an array.
        fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
            let mut out = [0u8; N];
            out.copy_from_slice(self.take(N)?);
            Ok(out)
        }

        /// The next byte.
        fn byte(&mut self) -> Result<u8> {
            Ok(self.array::<1>()?[0])
        }

        /// The next byte, which must be `code`; `what` names it otherwise.
        fn expect(&mut self, code: u8, what: &str) -> Result<()> {
            if self.byte()? != code {
                return Err(Error::damaged(
                    FORMAT,
                    format!("backup map: {what} expected"),
                ));
            }
            Ok(())
        }

        /// A modified-UTF-8 string of `len` bytes.
        fn text(&mut self, len: usize) -> Result<Zeroizing<String>> {
            modified_utf8(self.take(len)?)
                .ok_or_else(|| Error::damaged(FORMAT, "backup map: a string is not UTF-8"))
        }

        /// One string object of the map: new, or a reference to one read
        /// before (`strings`, in handle order).
        fn string(&mut self, strings: &mut Vec<Zeroizing<String>>) -> Result<Zeroizing<String>> {
            let text = match self.byte()? {
                TC_STRING => {
                    let len = u16::from_be_bytes(self.array()?);
                    self.text(usize::from(len))?
                }
                TC_LONGSTRING => {
                    let len = u64::from_be_bytes(self.array()?);
                    let len = usize::try_from(len)
                        .map_err(|_| Error::damaged(FORMAT, "the backup is cut off"))?;
                    self.text(len)?
                }
                TC_REFERENCE => {
                    let handle = u32::from_be_bytes(self.array()?);
                    return handle
                        .checked_sub(FIRST_STRING_HANDLE)
                        .and_then(|i| strings.get(usize::try_from(i).ok()?))
                        .cloned()
                        .ok_or_else(|| Error::damaged(FORMAT, "backup map: a bad reference"));
                }
                _ => {
                    return Err(Error::damaged(
                        FORMAT,
                        "backup map: an entry is not a string",
                    ));
                }
            };
            strings.push(text.clone());
            Ok(text)
        }
    }

    /// The `HashMap<String, String>` of the stream, entries in the file's
    /// order. Only the shapes `java.util.HashMap` writes are accepted.
    fn parse_map(bytes: &[u8]) -> Result<Vec<(String, Zeroizing<String>)>> {
        let mut s = Stream { bytes, at: 0 };
        if s.take(JAVA_SERIALISED.len())? != JAVA_SERIALISED {
            return Err(Error::damaged(FORMAT, "not a Java-serialised backup"));
        }
        s.expect(TC_OBJECT, "an object")?;
        s.expect(TC_CLASSDESC, "a class description")?;
        let len = u16::from_be_bytes(s.array()?);
        if s.take(usize::from(len))? != b"java.util.HashMap" {
            return Err(Error::damaged(
                FORMAT,
                "backup map: not a java.util.HashMap",
            ));
        }
        s.take(8 + 1)?; // serialVersionUID, flags
        let mut primitive_len = 0usize;
        for _ in 0..u16::from_be_bytes(s.array()?) {
            primitive_len += match s.byte()? {
                b'B' | b'Z' => 1,
                b'C' | b'S' => 2,
                b'F' | b'I' => 4,
                b'D' | b'J' => 8,
                _ => return Err(Error::damaged(FORMAT, "backup map: an unexpected field")),
            };
            let len = u16::from_be_bytes(s.array()?);
            s.take(usize::from(len))?;
        }
        s.expect(TC_ENDBLOCKDATA, "the end of the class annotation")?;
        s.expect(TC_NULL, "no superclass")?;
        s.take(primitive_len)?; // loadFactor, threshold
        s.expect(TC_BLOCKDATA, "the map's sizes")?;
        let block = s.byte()?;
        let sizes = s.take(usize::from(block))?;
        let count = sizes
            .get(4..8)
            .and_then(|b| usize::try_from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])).ok())
            .filter(|n| *n <= MAX_ENTRIES)
            .ok_or_else(|| Error::damaged(FORMAT, "backup map: its size is out of range"))?;
        let mut strings = Vec::new();
        let mut map = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let key = s.string(&mut strings)?;
            let value = s.string(&mut strings)?;
            map.push((key.to_string(), value));
        }
        // The map's end: a stream cut after its last entry is still cut.
        s.expect(TC_ENDBLOCKDATA, "the end of the map")?;
        if s.at != bytes.len() {
            return Err(Error::damaged(FORMAT, "backup map: bytes after its end"));
        }
        Ok(map)
    }

    /// Java's modified UTF-8 (`DataInput.readUTF`): UTF-8 but for `NUL` as two
    /// bytes and characters outside the BMP as two three-byte surrogates.
    fn modified_utf8(bytes: &[u8]) -> Option<Zeroizing<String>> {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Some(Zeroizing::new(text.to_owned()));
        }
        let mut units = Zeroizing::new(Vec::with_capacity(bytes.len()));
        let mut rest = bytes;
        while let Some((&b, tail)) = rest.split_first() {
            let (unit, tail) = match b {
                0x01..=0x7f => (u16::from(b), tail),
                0xc0..=0xdf => {
                    let (&b1, tail) = tail.split_first()?;
                    ((u16::from(b & 0x1f) << 6) | u16::from(b1 & 0x3f), tail)
                }
                0xe0..=0xef => {
                    let (&b1, tail) = tail.split_first()?;
                    let (&b2, tail) = tail.split_first()?;
                    let unit = (u16::from(b & 0x0f) << 12)
                        | (u16::from(b1 & 0x3f) << 6)
                        | u16::from(b2 & 0x3f);
                    (unit, tail)
                }
                _ => return None,
            };
            units.push(unit);
            rest = tail;
        }
        String::from_utf16(&units).ok().map(Zeroizing::new)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn gcm_nonce_reads_both_forms() {
            let seq = [
                48, 17, 4, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2, 1, 16,
            ];
            assert_eq!(
                gcm_nonce(&seq).unwrap(),
                [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
            );
            assert_eq!(gcm_nonce(&[4, 2, 9, 9]).unwrap(), [9, 9]);
            assert!(gcm_nonce(&[48, 17, 4]).is_none());
            assert!(gcm_nonce(&[]).is_none());
        }

        #[test]
        fn modified_utf8_reads_nul_and_surrogates() {
            assert_eq!(&*modified_utf8(&[0x61, 0xc0, 0x80]).unwrap(), "a\0");
            // U+1F600 as two three-byte surrogates.
            let emoji = [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80];
            assert_eq!(&*modified_utf8(&emoji).unwrap(), "\u{1f600}");
            assert!(modified_utf8(&[0xff]).is_none());
        }

        #[test]
        fn parse_map_refuses_cut_streams_without_panicking() {
            let mut stream = JAVA_SERIALISED.to_vec();
            stream.extend([TC_OBJECT, TC_CLASSDESC, 0, 17]);
            stream.extend(b"java.util.HashMap");
            for cut in 0..stream.len() {
                assert!(parse_map(&stream[..cut]).is_err());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_reads_entities_and_keeps_stray_ampersands() {
        assert_eq!(
            &*unescape("&quot;a&amp;b&#65;&#x42;&lt;&gt;&apos;"),
            "\"a&bAB<>'"
        );
        assert_eq!(&*unescape("a & b &bogus; &"), "a & b &bogus; &");
    }

    #[test]
    fn attribute_reads_a_quoted_value() {
        assert_eq!(
            attribute("<string name=\"a:b\"", "name").as_deref(),
            Some("a:b")
        );
        assert_eq!(attribute("<string", "name"), None);
    }
}
