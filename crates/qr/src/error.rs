//! The one error type of this crate.
//!
//! Every message starts with `image: `, the "field" a user gave (a picture), so
//! the CLI prints `error: image: <reason>` like its other input errors. No
//! message ever holds a QR code's text: a code may carry a TOTP secret or an
//! enrollment token, so what was found is told by its kind only.

use std::fmt;

use crate::limits::{MAX_BYTES, MAX_PIXELS};

/// What a QR code that is not an authenticator code holds, told by its kind
/// so the user learns they picked the wrong picture without the code's text
/// (which could be anything, a password included) being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Content {
    /// An `http://` or `https://` address.
    WebLink,
    /// Another URI (`tel:`, `mailto:`, `market://`, ...).
    Link,
    /// A `WIFI:` network, as phones share them.
    WiFi,
    /// A contact card (`BEGIN:VCARD` or `MECARD:`).
    Contact,
    /// Anything else.
    Text,
}

impl Content {
    /// Tells a code's kind from its first characters only.
    pub(crate) fn of(text: &str) -> Content {
        let text = text.trim_start();
        let starts = |prefix: &str| {
            text.get(..prefix.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
        };
        if starts("http://") || starts("https://") {
            Content::WebLink
        } else if starts("WIFI:") {
            Content::WiFi
        } else if starts("BEGIN:VCARD") || starts("MECARD:") {
            Content::Contact
        } else if is_uri(text) {
            Content::Link
        } else {
            Content::Text
        }
    }

    /// The kind as the end of "a QR code holding ...", for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Content::WebLink => "a web link",
            Content::Link => "a link",
            Content::WiFi => "Wi-Fi settings",
            Content::Contact => "a contact card",
            Content::Text => "text",
        }
    }
}

/// A URI scheme (RFC 3986: a letter, then letters, digits, `+-.`) and a colon.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with(' ')
        && scheme.len() <= 32
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

impl fmt::Display for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can keep a picture from giving its codes or its payload.
///
/// The `Display` text is `image: <reason>`, pinned by tests and safe to show
/// or log: it never carries a decoded text. [`Error::code`] is the stable
/// name the app's IPC sends, so the UI can word each case in its language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Not a picture, or one in a format this crate does not read.
    #[error("image: not an image, or a format SPSE Auth cannot read (PNG, JPEG, WebP, BMP, GIF)")]
    Unreadable,
    /// A picture in a known format whose data is broken or cut short.
    #[error("image: a damaged or incomplete {format} file")]
    Damaged {
        /// The format its header claims: `PNG`, `JPEG`, `WebP`, `BMP` or `GIF`.
        format: &'static str,
    },
    /// More bytes than any screenshot or phone photo needs.
    #[error("image: too large (over {} MB)", MAX_BYTES / 1_000_000)]
    TooManyBytes,
    /// More pixels than any screenshot or phone photo needs, refused before
    /// the pixels are decoded (a small file can claim a huge size).
    #[error(
        "image: too large ({width} x {height} pixels, over {} megapixels)",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels {
        /// The width the file claims.
        width: u32,
        /// The height the file claims.
        height: u32,
    },
    /// The picture was read but holds no QR code this crate could decode.
    #[error("image: no QR code found")]
    NotFound,
    /// QR codes were found, but none holds an authenticator payload.
    #[error("image: {}", describe(.found))]
    NotAuthenticator {
        /// What each code found holds, in the order of [`crate::decode`].
        found: Vec<Content>,
    },
    /// Two or more different authenticator payloads in one picture: adding
    /// one of them would be a guess.
    #[error(
        "image: {count} different authenticator codes in one picture; use a picture of only the one to add"
    )]
    Ambiguous {
        /// How many different payloads were found.
        count: usize,
    },
    /// A QR code holds an authenticator payload that does not parse; the
    /// reason names the payload's field and, like every `spse_otp` error,
    /// never its secret.
    #[error("image: the QR code's authenticator code is invalid: {0}")]
    Payload(#[source] spse_otp::Error),
}

impl Error {
    /// A stable snake_case name for each kind of failure, for the app's IPC
    /// and for scripts: the `Display` text may be reworded, these may not.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unreadable | Error::Damaged { .. } => "image_unreadable",
            Error::TooManyBytes | Error::TooManyPixels { .. } => "image_too_large",
            Error::NotFound => "qr_not_found",
            Error::NotAuthenticator { .. } => "qr_not_authenticator",
            Error::Ambiguous { .. } => "qr_ambiguous",
            Error::Payload(_) => "qr_invalid_payload",
        }
    }
}

/// "a QR code holding a web link, not an authenticator code", or for several
/// "2 QR codes, none an authenticator code (a web link, text)".
fn describe(found: &[Content]) -> String {
    match found {
        [one] => format!("a QR code holding {one}, not an authenticator code"),
        many => {
            let kinds: Vec<&str> = many.iter().map(|c| c.as_str()).collect();
            format!(
                "{} QR codes, none an authenticator code ({})",
                many.len(),
                kinds.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every variant with its exact text and code: the CLI contract
    /// and the app depend on these words, so a change must be deliberate.
    #[test]
    fn every_message_and_code_is_pinned() {
        let cases = [
            (
                Error::Unreadable,
                "image: not an image, or a format SPSE Auth cannot read (PNG, JPEG, WebP, BMP, GIF)",
                "image_unreadable",
            ),
            (
                Error::Damaged { format: "PNG" },
                "image: a damaged or incomplete PNG file",
                "image_unreadable",
            ),
            (
                Error::TooManyBytes,
                "image: too large (over 40 MB)",
                "image_too_large",
            ),
            (
                Error::TooManyPixels {
                    width: 20000,
                    height: 20000,
                },
                "image: too large (20000 x 20000 pixels, over 64 megapixels)",
                "image_too_large",
            ),
            (Error::NotFound, "image: no QR code found", "qr_not_found"),
            (
                Error::NotAuthenticator {
                    found: vec![Content::WebLink],
                },
                "image: a QR code holding a web link, not an authenticator code",
                "qr_not_authenticator",
            ),
            (
                Error::NotAuthenticator {
                    found: vec![Content::Text],
                },
                "image: a QR code holding text, not an authenticator code",
                "qr_not_authenticator",
            ),
            (
                Error::NotAuthenticator {
                    found: vec![Content::WebLink, Content::Text],
                },
                "image: 2 QR codes, none an authenticator code (a web link, text)",
                "qr_not_authenticator",
            ),
            (
                Error::NotAuthenticator {
                    found: vec![Content::WiFi, Content::Contact, Content::Link],
                },
                "image: 3 QR codes, none an authenticator code (Wi-Fi settings, a contact card, a link)",
                "qr_not_authenticator",
            ),
            (
                Error::Ambiguous { count: 2 },
                "image: 2 different authenticator codes in one picture; use a picture of only the one to add",
                "qr_ambiguous",
            ),
            (
                Error::Payload(spse_otp::Error::NotBase32 { position: 3 }),
                "image: the QR code's authenticator code is invalid: secret: not valid Base32 (character 3)",
                "qr_invalid_payload",
            ),
        ];
        for (error, text, code) in cases {
            assert_eq!(error.to_string(), text);
            assert_eq!(error.code(), code, "{text}");
        }
    }

    #[test]
    fn contents_are_told_by_their_first_characters() {
        for (text, kind) in [
            ("https://lpse.lkpp.go.id/eproc4", Content::WebLink),
            ("HTTP://EXAMPLE.COM", Content::WebLink),
            ("WIFI:S:kantor;T:WPA;P:rahasia;;", Content::WiFi),
            ("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD", Content::Contact),
            ("MECARD:N:Budi;;", Content::Contact),
            ("mailto:pokja@lpse.go.id", Content::Link),
            ("tel:+62211234567", Content::Link),
            ("market://details?id=x", Content::Link),
            ("Kode: 123456", Content::Text),
            ("hello", Content::Text),
            ("", Content::Text),
            ("1:2", Content::Text),
        ] {
            assert_eq!(Content::of(text), kind, "{text}");
        }
    }
}
