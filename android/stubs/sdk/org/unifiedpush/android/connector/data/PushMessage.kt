package org.unifiedpush.android.connector.data

// The connector's data/PushMessage.kt, without Parcelable.
class PushMessage(
    /** Content of the push message. */
    val content: ByteArray,
    /** Whether it has been correctly decrypted. */
    val decrypted: Boolean,
)
