//! The published test vectors: RFC 4226 Appendix D (HOTP) and RFC 6238
//! Appendix B (TOTP, all three hashes, up to t = 20000000000).
#![allow(clippy::unwrap_used, missing_docs)]

use spse_otp::{Account, Algorithm, Generator, Kind, Secret};
use zeroize::Zeroizing;

/// RFC 6238 Appendix A: the seeds are the ASCII digits repeated to the hash size.
const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

fn account(seed: &[u8], algorithm: Algorithm, digits: u8, kind: Kind) -> Account {
    let secret = Secret::from_bytes(Zeroizing::new(seed.to_vec())).unwrap();
    Account::new(None, "rfc".into(), algorithm, digits, kind, secret).unwrap()
}

/// RFC 4226 Appendix D: HOTP values for counts 0..=9, as 6-digit codes and
/// as the full 31-bit "Decimal" column, which is what a 10-digit code shows.
const RFC4226: [(&str, &str); 10] = [
    ("755224", "1284755224"),
    ("287082", "1094287082"),
    ("359152", "0137359152"),
    ("969429", "1726969429"),
    ("338314", "1640338314"),
    ("254676", "0868254676"),
    ("287922", "1918287922"),
    ("162583", "0082162583"),
    ("399871", "0673399871"),
    ("520489", "0645520489"),
];

#[test]
fn rfc4226_appendix_d() {
    for (count, (six, ten)) in RFC4226.iter().enumerate() {
        let count = count as u64;
        let hotp = |digits| {
            account(
                SEED_SHA1,
                Algorithm::Sha1,
                digits,
                Kind::Hotp { counter: count },
            )
        };
        assert_eq!(hotp(6).code_at(0).as_str(), *six, "count {count}");
        assert_eq!(hotp(10).code_at(0).as_str(), *ten, "count {count}");
        // The counter is the moving factor, whatever the time.
        assert_eq!(hotp(6).code_at(1_700_000_000).as_str(), *six);
        let generator = Generator::new(&hotp(6));
        assert_eq!(generator.at_counter(count).as_str(), *six);
    }
}

/// RFC 6238 Appendix B: 8-digit TOTP, 30 s step.
const RFC6238: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
];

#[test]
fn rfc6238_appendix_b() {
    let totp = Kind::Totp { period: 30 };
    let sha1 = Generator::new(&account(SEED_SHA1, Algorithm::Sha1, 8, totp));
    let sha256 = Generator::new(&account(SEED_SHA256, Algorithm::Sha256, 8, totp));
    let sha512 = Generator::new(&account(SEED_SHA512, Algorithm::Sha512, 8, totp));
    for (time, c1, c256, c512) in RFC6238 {
        assert_eq!(sha1.at(time).as_str(), c1, "SHA1 at {time}");
        assert_eq!(sha256.at(time).as_str(), c256, "SHA256 at {time}");
        assert_eq!(sha512.at(time).as_str(), c512, "SHA512 at {time}");
    }
}

#[test]
fn totp_steps_change_on_the_period_boundary() {
    let generator = Generator::new(&account(
        SEED_SHA1,
        Algorithm::Sha1,
        8,
        Kind::Totp { period: 30 },
    ));
    // RFC 6238: 1111111109 and 1111111111 straddle a step boundary.
    assert_eq!(generator.at(1_111_111_110), generator.at(1_111_111_111));
    assert_ne!(generator.at(1_111_111_109), generator.at(1_111_111_110));
    // A 60 s period takes the step floor(t / 60): t = 118 is step 1.
    let slow = Generator::new(&account(
        SEED_SHA1,
        Algorithm::Sha1,
        8,
        Kind::Totp { period: 60 },
    ));
    assert_eq!(slow.at(118).as_str(), "94287082");
    assert_eq!(slow.at(u64::MAX).as_str().len(), 8);
}

/// Steam Guard codes: KeePassXC's test vectors (tests/TestTotp.cpp), which
/// AuthenticatorPro's tests repeat, and the all-zero key's first counters.
#[test]
fn steam_guard_vectors() {
    let secret = Secret::from_base32("63BEDWCQZKTQWPESARIERL5DTTQFCJTK").unwrap();
    let steam = Account::new(None, "s".into(), Algorithm::Sha1, 5, Kind::Steam, secret).unwrap();
    assert_eq!(steam.code_at(1_511_200_518).as_str(), "FR8RV");
    assert_eq!(steam.code_at(1_511_200_714).as_str(), "9P3VP");
    assert_eq!(
        steam.seconds_left(1_511_200_518),
        Some(30 - 1_511_200_518 % 30)
    );
    let zeros = account(&[0; 20], Algorithm::Sha1, 5, Kind::Steam);
    assert_eq!(Generator::new(&zeros).at_counter(0).as_str(), "RYH4D");
    assert_eq!(Generator::new(&zeros).at_counter(1).as_str(), "DR2DK");
}

/// A Steam account round-trips through its `otpauth://steam/` link, and its
/// fixed parameters are enforced.
#[test]
fn steam_accounts_keep_their_kind_and_fixed_parameters() {
    let steam = account(SEED_SHA1, Algorithm::Sha1, 5, Kind::Steam);
    let uri = steam.to_uri();
    assert!(
        uri.starts_with("otpauth://steam/rfc?secret="),
        "{}",
        uri.as_str()
    );
    let spse_otp::Payload::Otpauth(back) = spse_otp::Payload::parse(&uri).unwrap() else {
        panic!("not an otpauth payload");
    };
    assert_eq!(back, steam);
    let secret = || Secret::from_bytes(Zeroizing::new(SEED_SHA1.to_vec())).unwrap();
    let six = Account::new(None, "s".into(), Algorithm::Sha1, 6, Kind::Steam, secret());
    assert_eq!(six.unwrap_err().to_string(), "digits: 6 is outside 5 to 5");
    let sha256 = Account::new(
        None,
        "s".into(),
        Algorithm::Sha256,
        5,
        Kind::Steam,
        secret(),
    );
    assert!(sha256.unwrap_err().to_string().starts_with("algorithm: "));
}
