//! Text files of links, one a line: `otpauth://` links (Google's Key Uri
//! Format, <https://github.com/google/google-authenticator/wiki/Key-Uri-Format>,
//! and its `otpauth://steam/` variant), as Aegis's plain-text export, WinAuth,
//! andOTP and Stratum's "URI list" write them; and the
//! `otpauth-migration://offline?data=` links of Google Authenticator's
//! "Transfer accounts" QR codes (a protobuf payload, read by `spse-otp`), as
//! a QR reader or Stratum's Google Authenticator export gives them in text.
//!
//! Blank lines and surrounding spaces are ignored, and parameters SPSE Auth
//! does not use (`image=`, `color=`, Ente's `codeDisplay=`, ...) are allowed.
//! A line that cannot be read is left out with the reason, named from its
//! label when the label can be read; the line itself (which holds the secret)
//! is never quoted.

use spse_otp::Payload;

use super::{Detected, Format, Imported, Input, SkipReason, Skipped, from_uri};
use crate::error::{Error, Result};

const OTPAUTH: &str = "otpauth://";
const MIGRATION: &str = "otpauth-migration://";

/// Text whose lines include `otpauth://` links (an otpauth list) or
/// `otpauth-migration://` links (Google Authenticator).
pub(crate) fn detect(input: &Input) -> Option<Detected> {
    let text = input.text?;
    let mut found = None;
    for line in text.lines().map(str::trim) {
        if starts_with(line, MIGRATION) {
            found = Some(Format::GoogleAuthenticator);
            break;
        }
        if starts_with(line, OTPAUTH) {
            found = Some(Format::OtpauthList);
        }
    }
    found.map(|format| Detected {
        format,
        encrypted: false,
    })
}

/// Reads every line of the text; `format` is what [`detect`] found.
pub(crate) fn read(input: &Input, format: Format) -> Result<Imported> {
    let text = input
        .text
        .ok_or_else(|| Error::damaged(format, "not text (UTF-8)"))?;
    let mut imported = Imported {
        format,
        accounts: Vec::new(),
        skipped: Vec::new(),
    };
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        if starts_with(line, MIGRATION) {
            match Payload::parse(line) {
                Ok(payload) => imported.accounts.extend(payload.accounts().iter().cloned()),
                Err(e) => imported.skipped.push(Skipped {
                    issuer: None,
                    name: format!("line {number}"),
                    reason: SkipReason::Invalid(format!("Google Authenticator export: {e}")),
                }),
            }
        } else if starts_with(line, OTPAUTH) {
            match from_uri(line) {
                Ok(account) => imported.accounts.push(account),
                Err(mut skipped) => {
                    let (issuer, name) = label_of(line);
                    skipped.issuer = issuer;
                    skipped.name = if name.is_empty() && skipped.issuer.is_none() {
                        format!("line {number}")
                    } else {
                        name
                    };
                    imported.skipped.push(skipped);
                }
            }
        } else {
            imported.skipped.push(Skipped {
                issuer: None,
                name: format!("line {number}"),
                reason: SkipReason::Invalid("not an otpauth:// link".into()),
            });
        }
    }
    Ok(imported)
}

/// Whether `line` starts with `scheme`, in any case.
fn starts_with(line: &str, scheme: &str) -> bool {
    line.get(..scheme.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
}

/// The issuer and account name an `otpauth://` link's label (and `issuer=`
/// parameter) gives, read without the rest of the link, so an entry that
/// cannot be imported is still named (`Issuer:name` split at the first
/// colon). Never reads the secret.
pub(crate) fn label_of(uri: &str) -> (Option<String>, String) {
    let rest = uri.get(OTPAUTH.len()..).unwrap_or("");
    let (head, query) = rest.split_once('?').unwrap_or((rest, ""));
    let label = head.split_once('/').map_or("", |(_, label)| label);
    let label = percent_decode(label);
    let param_issuer = query
        .split('&')
        .find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            name.eq_ignore_ascii_case("issuer")
                .then(|| percent_decode(&value.replace('+', " ")))
        })
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty());
    let (label_issuer, name) = match label.split_once(':') {
        Some((issuer, name)) => (
            Some(issuer.trim().to_owned()).filter(|i| !i.is_empty()),
            name.trim().to_owned(),
        ),
        None => (None, label.trim().to_owned()),
    };
    (param_issuer.or(label_issuer), name)
}

/// `%XX` decoded (invalid escapes kept as they are, invalid UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_of_splits_and_decodes_without_the_secret() {
        assert_eq!(
            label_of("otpauth://totp/Air%20Canada:Ben?secret=AAAA&issuer=Air+Canada"),
            (Some("Air Canada".into()), "Ben".into())
        );
        assert_eq!(
            label_of("otpauth://totp/name?secret=AAAA"),
            (None, "name".into())
        );
        assert_eq!(label_of("otpauth://totp"), (None, String::new()));
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn ente_parameters_are_allowed_when_read_as_a_list() {
        // Ente's own detector claims such text first; read as a plain list
        // the extra parameter is still no obstacle.
        let text =
            "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&codeDisplay=%7B%22pinned%22%3Afalse%7D";
        let input = super::super::Input::new(text.as_bytes());
        let imported = read(&input, Format::OtpauthList).unwrap();
        assert_eq!(imported.accounts.len(), 1);
        assert!(imported.skipped.is_empty());
    }
}
