package id.spse.auth.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.app.Service
import android.content.Context
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Build
import android.os.IBinder
import java.util.Locale

// "Selalu aktif" (always on), for phones without a UnifiedPush distributor:
// an opt-in foreground service of type specialUse whose only work is to
// exist, so that Android keeps the app's process, and with it the Rust
// side's long polls to the sites, alive while the app is in the background.
// The logins it finds are shown by the Rust side (LoginNotification.showLogin).

/** The channel of the service's ongoing notification (low importance: no sound, no heads-up). */
internal const val ALWAYS_ON_CHANNEL = "always_on"

/** The ongoing notification's id (startForeground refuses 0). */
private const val ALWAYS_ON_NOTIFICATION_ID = 0x5350

/** The words of the ongoing notification, in Indonesian or English as the phone is set. */
internal class AlwaysOnTexts(val channel: String, val title: String, val body: String) {
    companion object {
        fun forLocale(locale: Locale): AlwaysOnTexts =
            // Android's Locale still reports Indonesian as "in" on many versions.
            if (locale.language == "in" || locale.language == "id") {
                AlwaysOnTexts("Selalu aktif", "SPSE Auth selalu aktif", "Menunggu permintaan login dari situs SPSE")
            } else {
                AlwaysOnTexts("Always on", "SPSE Auth is always on", "Waiting for login requests from SPSE sites")
            }
    }
}

/**
 * The "always on" foreground service (declared in the plugin's manifest,
 * not exported, foregroundServiceType specialUse). Started and stopped by
 * the plugin's setAlwaysOn; it holds nothing itself.
 */
class AlwaysOnService : Service() {
    override fun onBind(intent: Intent?): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        val notification = notification(this)
        try {
            if (Build.VERSION.SDK_INT >= 34) {
                startForeground(ALWAYS_ON_NOTIFICATION_ID, notification, ServiceInfo.FOREGROUND_SERVICE_TYPE_SPECIAL_USE)
            } else {
                startForeground(ALWAYS_ON_NOTIFICATION_ID, notification)
            }
        } catch (e: RuntimeException) {
            // Android 12+ refused a foreground start (the app was in the
            // background), or 14+ the type: nothing to hold, so stop.
            stopSelf()
        }
        // Not sticky: a process the system killed has no Rust side to poll,
        // so a restarted service would only show a notification that lies.
        return START_NOT_STICKY
    }

    override fun onDestroy() {
        stopForeground(STOP_FOREGROUND_REMOVE)
        super.onDestroy()
    }

    companion object {
        /** Starts the service (a foreground start on Android 8+). */
        fun start(context: Context) {
            val intent = Intent(context, AlwaysOnService::class.java)
            if (Build.VERSION.SDK_INT >= 26) {
                context.startForegroundService(intent)
            } else {
                context.startService(intent)
            }
        }

        /** Stops it (its notification goes with it); nothing if it is not running. */
        fun stop(context: Context) {
            context.stopService(Intent(context, AlwaysOnService::class.java))
        }

        private fun notification(context: Context): Notification {
            val manager = context.getSystemService(Context.NOTIFICATION_SERVICE) as NotificationManager
            val texts = AlwaysOnTexts.forLocale(Locale.getDefault())
            val builder = if (Build.VERSION.SDK_INT >= 26) {
                val channel = NotificationChannel(ALWAYS_ON_CHANNEL, texts.channel, NotificationManager.IMPORTANCE_LOW)
                channel.setShowBadge(false)
                manager.createNotificationChannel(channel)
                Notification.Builder(context, ALWAYS_ON_CHANNEL)
            } else {
                @Suppress("DEPRECATION")
                Notification.Builder(context).setPriority(Notification.PRIORITY_LOW)
            }
            builder
                .setSmallIcon(R.drawable.spse_notification)
                .setContentTitle(texts.title)
                .setContentText(texts.body)
                .setCategory(Notification.CATEGORY_SERVICE)
                .setOngoing(true)
                .setShowWhen(false)
            val open = context.packageManager.getLaunchIntentForPackage(context.packageName)
            if (open != null) {
                open.addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP or Intent.FLAG_ACTIVITY_CLEAR_TOP)
                builder.setContentIntent(
                    PendingIntent.getActivity(
                        context, 1, open, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
                    ),
                )
            }
            return builder.build()
        }
    }
}
