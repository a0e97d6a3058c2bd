package org.unifiedpush.android.connector

import android.app.Service
import android.content.Intent
import android.os.IBinder
import org.unifiedpush.android.connector.data.PushEndpoint
import org.unifiedpush.android.connector.data.PushMessage

// The connector's PushService.kt (3.x), without its binder.
abstract class PushService: Service() {
    abstract fun onNewEndpoint(endpoint: PushEndpoint, instance: String)
    abstract fun onMessage(message: PushMessage, instance: String)
    abstract fun onRegistrationFailed(reason: FailedReason, instance: String)
    abstract fun onUnregistered(instance: String)
    open fun onTempUnavailable(instance: String) {}
    override fun onBind(intent: Intent?): IBinder? {
        return null
    }
}
