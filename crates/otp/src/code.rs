//! One-time codes: HOTP (RFC 4226) and TOTP (RFC 6238).
//!
//! The HMAC is RustCrypto's (`hmac` with `sha1`/`sha2`, the crates totp-rs
//! wraps), keyed once per account and cloned for each code: totp-rs re-keys
//! the HMAC for every code, which costs more than the code itself
//! (docs/benchmarks.md). The dynamic truncation (RFC 4226 section 5.3) is
//! done here, for 6 to 10 digits (totp-rs panics on 10, which the otpauth
//! format allows and a 31-bit truncated value can fill).

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::account::{Account, Algorithm, Kind, STEAM_DIGITS, STEAM_PERIOD};

/// A code ready to show: 6 to 10 ASCII digits (5 characters of Steam's
/// alphabet for Steam), kept on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Code {
    digits: [u8; 10],
    len: u8,
}

impl Code {
    /// The code as text, e.g. `"755224"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever written, so this cannot fail.
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or("")
    }

    /// The code in two groups for reading aloud and typing, `123 456`
    /// (an odd length puts the extra digit in the first group).
    pub fn grouped(&self) -> String {
        let text = self.as_str();
        let split = text.len().div_ceil(2);
        format!("{} {}", &text[..split], &text[split..])
    }

    /// RFC 4226 section 5.3: dynamic truncation of an HMAC to `len` digits.
    fn truncate(hmac: &[u8], len: u8) -> Code {
        let offset = usize::from(hmac.last().copied().unwrap_or(0) & 0x0f);
        let mut word = [0u8; 4];
        if let Some(bytes) = hmac.get(offset..offset + 4) {
            word.copy_from_slice(bytes);
        }
        let mut value = u64::from(u32::from_be_bytes(word) & 0x7fff_ffff);
        let mut digits = [b'0'; 10];
        for slot in digits[..usize::from(len)].iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
        Code { digits, len }
    }

    /// Steam Guard's writing of the same truncated value: each of the five
    /// characters is the value modulo 26 in Steam's alphabet, least
    /// significant first (the algorithm Aegis and andOTP use).
    fn steam(hmac: &[u8]) -> Code {
        const ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
        let offset = usize::from(hmac.last().copied().unwrap_or(0) & 0x0f);
        let mut word = [0u8; 4];
        if let Some(bytes) = hmac.get(offset..offset + 4) {
            word.copy_from_slice(bytes);
        }
        let mut value = u32::from_be_bytes(word) & 0x7fff_ffff;
        let mut digits = [b'0'; 10];
        for slot in digits[..usize::from(STEAM_DIGITS)].iter_mut() {
            *slot = ALPHABET[(value % 26) as usize];
            value /= 26;
        }
        Code {
            digits,
            len: STEAM_DIGITS,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({})", self.as_str())
    }
}

/// An HMAC keyed with the account's secret, ready to be cloned for each
/// code; its state is wiped on drop (RustCrypto's `zeroize` feature).
#[derive(Clone)]
enum Keyed {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

/// A keyed HMAC of any hash; `None` cannot happen (HMAC takes keys of any
/// length), but is a refusal rather than a panic.
fn keyed<M: KeyInit>(key: &[u8]) -> Option<M> {
    M::new_from_slice(key).ok()
}

/// Makes codes for one account without re-reading it: the key schedule is
/// done once, so each code is one HMAC over the moving factor.
pub struct Generator {
    hmac: Option<Keyed>,
    digits: u8,
    kind: Kind,
}

impl Generator {
    /// Prepares the account's key and parameters.
    pub fn new(account: &Account) -> Generator {
        let key = account.secret().expose();
        let hmac = match account.algorithm() {
            Algorithm::Sha1 => keyed::<Hmac<Sha1>>(key).map(Keyed::Sha1),
            Algorithm::Sha256 => keyed::<Hmac<Sha256>>(key).map(Keyed::Sha256),
            Algorithm::Sha512 => keyed::<Hmac<Sha512>>(key).map(Keyed::Sha512),
        };
        Generator {
            hmac,
            digits: account.digits(),
            kind: account.kind(),
        }
    }

    /// The HOTP value for moving factor `counter` (RFC 4226 section 5.3):
    /// the HMAC of `counter` as 8 big-endian bytes, truncated.
    pub fn at_counter(&self, counter: u64) -> Code {
        let message = counter.to_be_bytes();
        let steam = self.kind == Kind::Steam;
        let write = |hmac: &[u8]| {
            if steam {
                Code::steam(hmac)
            } else {
                Code::truncate(hmac, self.digits)
            }
        };
        fn sign<M: Mac + Clone>(mac: &M, message: &[u8]) -> impl AsRef<[u8]> + use<M> {
            let mut mac = mac.clone();
            mac.update(message);
            mac.finalize().into_bytes()
        }
        match &self.hmac {
            Some(Keyed::Sha1(mac)) => write(sign(mac, &message).as_ref()),
            Some(Keyed::Sha256(mac)) => write(sign(mac, &message).as_ref()),
            Some(Keyed::Sha512(mac)) => write(sign(mac, &message).as_ref()),
            None => write(&[]),
        }
    }

    /// The code to show at `unix_seconds`: for TOTP the time step
    /// `T = floor(t / X)` of RFC 6238 section 4.2; for HOTP the account's counter.
    pub fn at(&self, unix_seconds: u64) -> Code {
        match self.kind {
            Kind::Totp { period } => self.at_counter(unix_seconds / u64::from(period)),
            Kind::Steam => self.at_counter(unix_seconds / u64::from(STEAM_PERIOD)),
            Kind::Hotp { counter } => self.at_counter(counter),
        }
    }
}

impl fmt::Debug for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("digits", &self.digits)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// Seconds until the TOTP code shown at `unix_seconds` changes; `None`
    /// for HOTP, whose code changes only when the counter moves.
    pub fn seconds_left(&self, unix_seconds: u64) -> Option<u64> {
        let period = u64::from(self.kind().period()?);
        Some(period - unix_seconds % period)
    }

    /// The code to show at `unix_seconds` (see [`Generator::at`]). For many
    /// codes of one account, make a [`Generator`] once instead.
    pub fn code_at(&self, unix_seconds: u64) -> Code {
        Generator::new(self).at(unix_seconds)
    }
}

#[cfg(test)]
mod tests {
    use crate::Payload;

    #[test]
    fn codes_group_for_reading() {
        let totp = |digits: u8| {
            let uri =
                format!("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits={digits}");
            Payload::parse(&uri).unwrap().accounts()[0].clone()
        };
        assert_eq!(totp(6).code_at(59).grouped(), "287 082");
        assert_eq!(totp(7).code_at(59).grouped(), "4287 082");
        assert_eq!(totp(8).code_at(59).grouped(), "9428 7082");
    }

    #[test]
    fn seconds_left_counts_down_to_the_step() {
        let account = Payload::parse("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP")
            .unwrap()
            .accounts()[0]
            .clone();
        assert_eq!(account.seconds_left(0), Some(30));
        assert_eq!(account.seconds_left(59), Some(1));
        assert_eq!(account.seconds_left(60), Some(30));
        let hotp = Payload::parse("otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=1")
            .unwrap()
            .accounts()[0]
            .clone();
        assert_eq!(hotp.seconds_left(59), None);
    }
}
