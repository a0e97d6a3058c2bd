package org.unifiedpush.android.connector.data

// The connector's data/PublicKeySet.kt, without Parcelable.
class PublicKeySet(
    /** P-256 Public key, in uncompressed format, base64url encoded without padding. */
    val pubKey: String,
    /** Auth secret, base64url encoded without padding. */
    val auth: String,
)
