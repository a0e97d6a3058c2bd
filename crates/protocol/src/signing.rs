//! The canonical signing inputs (docs/protocol.md, "Signing inputs"): UTF-8
//! lines joined by `\n`, no trailing newline, and no field may hold a `\n`.

use ring::digest::{SHA256, digest};

use crate::error::{Error, Result};

/// The first line of each signing input names its purpose, so a signature
/// made for one can never be replayed as another.
pub mod purpose {
    /// Binds a device key to an account at enrollment.
    pub const ENROLL: &str = "spse-auth/v1/enroll";
    /// Authenticates one HTTP request.
    pub const REQUEST: &str = "spse-auth/v1/request";
    /// Approves, denies or reports one login.
    pub const DECIDE: &str = "spse-auth/v1/decide";
}

fn join(lines: &[(&'static str, &str)]) -> Result<String> {
    for (field, value) in lines {
        if value.contains('\n') {
            return Err(Error::Newline { field });
        }
    }
    Ok(lines.iter().map(|(_, v)| *v).collect::<Vec<_>>().join("\n"))
}

/// `spse-auth/v1/enroll`, enroll, user_id, device_id, public_key.
pub fn enroll_input(
    enroll: &str,
    user_id: &str,
    device_id: &str,
    public_key: &str,
) -> Result<String> {
    join(&[
        ("purpose", purpose::ENROLL),
        ("enroll", enroll),
        ("user_id", user_id),
        ("device_id", device_id),
        ("public_key", public_key),
    ])
}

/// `spse-auth/v1/request`, METHOD, path-and-query as sent, ts, lowercase hex
/// SHA-256 of the body bytes (of the empty string when there is none).
pub fn request_input(method: &str, path_and_query: &str, ts: u64, body: &[u8]) -> Result<String> {
    let ts = ts.to_string();
    let hash = hex(digest(&SHA256, body).as_ref());
    join(&[
        ("purpose", purpose::REQUEST),
        ("method", method),
        ("path", path_and_query),
        ("ts", &ts),
        ("body", &hash),
    ])
}

/// The fields a decision signs, named as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecideFields<'a> {
    /// The challenge's `tx_id`.
    pub tx_id: &'a str,
    /// The challenge's `nonce`.
    pub nonce: &'a str,
    /// The site's origin (`https://lpse.kuduskab.go.id`).
    pub origin: &'a str,
    /// The SPSE user ID the login is for.
    pub user_id: &'a str,
    /// `approve`, `deny` or `report`.
    pub decision: &'a str,
    /// The 2-digit number typed, or `""` when none.
    pub number: &'a str,
    /// The deciding device.
    pub device_id: &'a str,
    /// When the decision was made, Unix ms.
    pub iat: u64,
}

/// `spse-auth/v1/decide`, tx_id, nonce, origin, user_id, decision, number
/// (`""` when none), device_id, iat.
pub fn decide_input(fields: &DecideFields<'_>) -> Result<String> {
    let iat = fields.iat.to_string();
    join(&[
        ("purpose", purpose::DECIDE),
        ("tx_id", fields.tx_id),
        ("nonce", fields.nonce),
        ("origin", fields.origin),
        ("user_id", fields.user_id),
        ("decision", fields.decision),
        ("number", fields.number),
        ("device_id", fields.device_id),
        ("iat", &iat),
    ])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_lines_without_a_trailing_newline() {
        assert_eq!(
            enroll_input("tok", "PPK2", "dev", "pk").unwrap(),
            "spse-auth/v1/enroll\ntok\nPPK2\ndev\npk"
        );
        assert_eq!(
            request_input("GET", "/authenticator/v1/device?device_id=d", 5, b"").unwrap(),
            "spse-auth/v1/request\nGET\n/authenticator/v1/device?device_id=d\n5\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_newline_in_any_field_is_refused_by_name() {
        assert_eq!(
            enroll_input("tok", "PPK2\nadmin", "dev", "pk"),
            Err(Error::Newline { field: "user_id" })
        );
        let fields = DecideFields {
            tx_id: "t",
            nonce: "n",
            origin: "https://a.go.id",
            user_id: "u",
            decision: "approve",
            number: "4\n2",
            device_id: "d",
            iat: 1,
        };
        assert_eq!(
            decide_input(&fields).unwrap_err().to_string(),
            "number: must not contain a newline"
        );
    }
}
