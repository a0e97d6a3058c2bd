package org.unifiedpush.android.connector

import android.content.Context

// The members of the connector's UnifiedPush.kt (org.unifiedpush.android:connector
// 3.x) that SPSE Auth uses, with the same signatures; bodies do nothing.
object UnifiedPush {
    @JvmStatic
    fun register(
        context: Context,
        instance: String = INSTANCE_DEFAULT,
        messageForDistributor: String? = null,
        vapid: String? = null,
    ) {}

    @JvmStatic
    fun unregister(
        context: Context,
        instance: String = INSTANCE_DEFAULT,
    ) {}

    @JvmStatic
    fun getDistributors(context: Context): List<String> = emptyList()

    @JvmStatic
    fun tryUseDefaultDistributor(
        context: Context,
        callback: (Boolean) -> Unit,
    ) {}

    @JvmStatic
    fun tryUseCurrentOrDefaultDistributor(
        context: Context,
        callback: (Boolean) -> Unit,
    ) {}

    @JvmStatic
    fun saveDistributor(
        context: Context,
        distributor: String,
    ) {}

    @JvmStatic
    fun getSavedDistributor(context: Context): String? = null

    @JvmStatic
    fun getAckDistributor(context: Context): String? = null

    @JvmStatic
    fun removeDistributor(context: Context) {}
}
