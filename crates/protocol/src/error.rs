//! The one error type of the protocol crate.

/// What can be wrong with protocol material, on either end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field of a signing input holds a newline, which would let one field
    /// pose as two; the input is refused rather than signed.
    #[error("{field}: must not contain a newline")]
    Newline {
        /// The field at fault.
        field: &'static str,
    },
    /// A public key that is not a base64url P-256 SubjectPublicKeyInfo.
    #[error("public_key: not a base64url P-256 SubjectPublicKeyInfo (91 bytes)")]
    BadPublicKey,
    /// A private key that ring cannot load.
    #[error("device key: not a usable P-256 PKCS#8 key")]
    BadPrivateKey,
    /// A signature that is not 64 base64url bytes, or does not verify.
    #[error("sig: the signature does not verify")]
    BadSignature,
    /// An `Authorization` header not of the `SPSE-Device` form.
    #[error("authorization: expected `SPSE-Device id=<device_id>,ts=<ms>,sig=<b64u>`")]
    BadAuthorization,
    /// The system random generator failed.
    #[error("random: the system random generator failed")]
    Random,
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
