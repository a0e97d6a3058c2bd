//! The signed-request header: `Authorization: SPSE-Device
//! id=<device_id>,ts=<ms>,sig=<b64u>`, the signature over the request input.

use crate::error::{Error, Result};

/// The parts of an `SPSE-Device` authorization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuth {
    /// The signing device.
    pub device_id: String,
    /// When the request was signed, Unix ms.
    pub ts: u64,
    /// base64url signature over the request input.
    pub sig: String,
}

impl DeviceAuth {
    /// The header value.
    pub fn header(&self) -> String {
        format!(
            "SPSE-Device id={},ts={},sig={}",
            self.device_id, self.ts, self.sig
        )
    }

    /// Reads a header value exactly as docs/protocol.md section 5 writes it:
    /// the three parameters in this order, no spaces, `id` and `sig`
    /// base64url, `ts` decimal without a sign or leading zeros. Anything
    /// else is refused, so one request has one spelling.
    pub fn parse(value: &str) -> Result<DeviceAuth> {
        let rest = value
            .strip_prefix("SPSE-Device ")
            .ok_or(Error::BadAuthorization)?;
        let mut parts = rest.split(',');
        let mut take = |name: &str| {
            parts
                .next()
                .and_then(|p| p.strip_prefix(name))
                .and_then(|p| p.strip_prefix('='))
                .filter(|v| !v.is_empty() && v.len() <= MAX_PART)
                .ok_or(Error::BadAuthorization)
        };
        let device_id = take("id")?;
        let ts = take("ts")?;
        let sig = take("sig")?;
        if parts.next().is_some() || !is_b64u(device_id) || !is_b64u(sig) || !is_decimal(ts) {
            return Err(Error::BadAuthorization);
        }
        Ok(DeviceAuth {
            device_id: device_id.to_owned(),
            ts: ts.parse().map_err(|_| Error::BadAuthorization)?,
            sig: sig.to_owned(),
        })
    }
}

/// The longest parameter value read (a signature is 86 characters).
const MAX_PART: usize = 256;

fn is_b64u(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Digits only, and no leading zero but in `0` itself.
fn is_decimal(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let auth = DeviceAuth {
            device_id: "d-1".into(),
            ts: 1_763_856_000_000,
            sig: "c2ln".into(),
        };
        assert_eq!(
            auth.header(),
            "SPSE-Device id=d-1,ts=1763856000000,sig=c2ln"
        );
        assert_eq!(DeviceAuth::parse(&auth.header()).unwrap(), auth);
        assert_eq!(
            DeviceAuth::parse("SPSE-Device id=d,ts=0,sig=s").unwrap().ts,
            0
        );
        for bad in [
            "Bearer x",
            "SPSE-Device id=d,ts=1",
            "SPSE-Device ts=1,id=d,sig=s",
            "SPSE-Device id=d,ts=x,sig=s",
            "SPSE-Device id=d,ts=1,sig=s,extra=1",
            "SPSE-Device id=,ts=1,sig=s",
            // What the spec forbids: spaces, a sign, leading zeros, padding
            // or the other base64 alphabet.
            "SPSE-Device id=d, ts=1,sig=s",
            "SPSE-Device id=d,ts=1 ,sig=s",
            "SPSE-Device  id=d,ts=1,sig=s",
            "SPSE-Device id=d,ts=+1,sig=s",
            "SPSE-Device id=d,ts=01,sig=s",
            "SPSE-Device id=d,ts=-1,sig=s",
            "SPSE-Device id=d+,ts=1,sig=s",
            "SPSE-Device id=d,ts=1,sig=s/",
            "SPSE-Device id=d,ts=1,sig=s==",
            "SPSE-Device id=d,ts=99999999999999999999999,sig=s",
        ] {
            assert_eq!(
                DeviceAuth::parse(bad),
                Err(Error::BadAuthorization),
                "{bad}"
            );
        }
    }
}
