package org.unifiedpush.android.connector.data

// The connector's data/PushEndpoint.kt, without Parcelable.
class PushEndpoint(
    /** URL to push notifications to. */
    val url: String,
    /** Web Push public key set. */
    val pubKeySet: PublicKeySet?,
)
