package org.unifiedpush.android.connector

// The connector's FailedReason.kt.
enum class FailedReason {
    INTERNAL_ERROR,
    NETWORK,
    ACTION_REQUIRED,
    VAPID_REQUIRED,
}
