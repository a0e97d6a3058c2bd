//! The shared secret of an OTP account, and the lenient Base32 reader for it.
//!
//! The secret is the one thing that must never leak: it lives in a
//! [`Zeroizing`] buffer, its `Debug` is redacted, and it has no `Display`.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// RFC 4648 section 6 alphabet.
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The HMAC key of an OTP account (RFC 4226 section 5.1 `K`).
///
/// Wiped from memory when dropped; `Debug` prints `Secret([REDACTED])`.
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes ownership of raw key bytes; refuses an empty key, which would make
    /// every code predictable.
    pub fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Result<Secret> {
        if bytes.is_empty() {
            return Err(Error::EmptySecret);
        }
        Ok(Secret(bytes))
    }

    /// Reads a Base32 secret (RFC 4648 section 6) as real QR codes write it:
    /// upper or lower case, with spaces (or `+`, a form-encoded space) between
    /// groups, with or without `=` padding, and with any unused trailing bits.
    pub fn from_base32(text: &str) -> Result<Secret> {
        Secret::from_base32_bytes(text.bytes(), text.len())
    }

    /// [`Secret::from_base32`] over bytes, so a caller can feed a
    /// percent-decoding iterator without a copy of the text. `max_len` bounds the
    /// input length, so the output never reallocates (a reallocation would free
    /// key bytes without wiping them).
    pub(crate) fn from_base32_bytes(
        text: impl Iterator<Item = u8>,
        max_len: usize,
    ) -> Result<Secret> {
        let mut out = Zeroizing::new(Vec::with_capacity(max_len * 5 / 8 + 1));
        let mut buffer: u64 = 0;
        let mut bits = 0u32;
        let mut padding = false;
        for (index, byte) in text.enumerate() {
            let position = index + 1;
            let value = match byte {
                b' ' | b'\t' | b'+' => continue,
                b'=' => {
                    padding = true;
                    continue;
                }
                b'A'..=b'Z' => byte - b'A',
                b'a'..=b'z' => byte - b'a',
                b'2'..=b'7' => byte - b'2' + 26,
                _ => {
                    buffer.zeroize();
                    return Err(Error::NotBase32 { position });
                }
            };
            if padding {
                // Data after padding: not a sloppy secret but a broken one.
                buffer.zeroize();
                return Err(Error::NotBase32 { position });
            }
            buffer = (buffer << 5) | u64::from(value);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push(((buffer >> bits) & 0xff) as u8);
            }
        }
        buffer.zeroize();
        Secret::from_bytes(out)
    }

    /// The key bytes, for the HMAC and for sealing in the vault; never for display.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The key length in bits, so a UI can warn about weak (< 128-bit) secrets
    /// without ever seeing one.
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// Unpadded upper-case Base32, the form otpauth URIs carry.
    pub fn to_base32(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(self.0.len().div_ceil(5) * 8));
        let mut buffer: u64 = 0;
        let mut bits = 0u32;
        for &byte in self.0.iter() {
            buffer = (buffer << 8) | u64::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            }
        }
        if bits > 0 {
            out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
        }
        buffer.zeroize();
        out
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl PartialEq for Secret {
    /// Constant-time in the key bytes, so comparing secrets leaks nothing through timing.
    fn eq(&self, other: &Secret) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

impl Eq for Secret {}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Vec<u8> {
        Secret::from_base32(text).unwrap().expose().to_vec()
    }

    #[test]
    fn rfc4648_vectors_decode() {
        // RFC 4648 section 10.
        assert_eq!(decode("MY======"), b"f");
        assert_eq!(decode("MZXQ===="), b"fo");
        assert_eq!(decode("MZXW6==="), b"foo");
        assert_eq!(decode("MZXW6YQ="), b"foob");
        assert_eq!(decode("MZXW6YTB"), b"fooba");
        assert_eq!(decode("MZXW6YTBOI======"), b"foobar");
    }

    #[test]
    fn rfc4648_vectors_encode_unpadded() {
        let encode = |bytes: &[u8]| {
            Secret::from_bytes(Zeroizing::new(bytes.to_vec()))
                .unwrap()
                .to_base32()
                .to_string()
        };
        assert_eq!(encode(b"f"), "MY");
        assert_eq!(encode(b"fo"), "MZXQ");
        assert_eq!(encode(b"foo"), "MZXW6");
        assert_eq!(encode(b"foob"), "MZXW6YQ");
        assert_eq!(encode(b"fooba"), "MZXW6YTB");
        assert_eq!(encode(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn sloppy_forms_decode_alike() {
        let clean = decode("JBSWY3DPEHPK3PXP");
        assert_eq!(decode("jbswy3dpehpk3pxp"), clean);
        assert_eq!(decode("JBSW Y3DP EHPK 3PXP"), clean);
        assert_eq!(decode("jbsw+y3dp+ehpk+3pxp"), clean);
        assert_eq!(decode("JBSWY3DPEHPK3PXP===="), clean);
    }

    #[test]
    fn bad_characters_are_located_not_echoed() {
        assert_eq!(
            Secret::from_base32("JBSW1Y3DP"),
            Err(Error::NotBase32 { position: 5 })
        );
        assert_eq!(
            Secret::from_base32("JBSW=Y3DP"),
            Err(Error::NotBase32 { position: 6 })
        );
        assert_eq!(Secret::from_base32("===="), Err(Error::EmptySecret));
        assert_eq!(Secret::from_base32("A"), Err(Error::EmptySecret));
        assert_eq!(Secret::from_base32(""), Err(Error::EmptySecret));
    }

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{secret:?} {secret:#?}");
        assert_eq!(format!("{secret:?}"), "Secret([REDACTED])");
        assert!(!shown.contains("JBSW"));
        assert!(!shown.contains("72")); // first byte 0x48 = 72 as a decimal Vec debug
        assert_eq!(secret.bits(), 80);
    }

    #[test]
    fn equality_compares_bytes() {
        let a = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let b = Secret::from_base32("jbsw y3dp ehpk 3pxp").unwrap();
        let c = Secret::from_base32("JBSWY3DPEHPK3PXQ").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
