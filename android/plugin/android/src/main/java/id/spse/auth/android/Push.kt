package id.spse.auth.android

import android.Manifest
import android.app.Activity
import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.SharedPreferences
import android.content.pm.PackageManager
import android.os.Build
import app.tauri.plugin.JSArray
import app.tauri.plugin.JSObject
import java.util.Locale
import org.json.JSONException
import org.json.JSONObject
import org.unifiedpush.android.connector.FailedReason
import org.unifiedpush.android.connector.PushService
import org.unifiedpush.android.connector.UnifiedPush
import org.unifiedpush.android.connector.data.PushEndpoint
import org.unifiedpush.android.connector.data.PushMessage

// Web Push wake-ups (docs/protocol.md §6.6) through UnifiedPush: one
// registration per enrolled account (instance = the account id, with that
// site's VAPID key). The connector makes the p256dh/auth keys and decrypts
// RFC 8291 itself. A wake-up carries nothing but {"v":1,"kind":"login"}: it
// becomes a notification that opens the app, which then asks the site over
// its signed API what the login is. No Rust runs here (the app may not be
// running): the service is Kotlin only.

/** The notification channel of login requests (high importance: heads-up). */
internal const val LOGIN_CHANNEL = "logins"

/** A login request lives 60 s on the site: its notification no longer. */
private const val LOGIN_LIFETIME_MS = 60_000L

/** One notification per account: tagged with its instance, under this id. */
private const val LOGIN_NOTIFICATION_ID = 1

/** The registrations and their endpoints, in the app's private preferences. */
internal class PushStore(context: Context) {
    private val prefs: SharedPreferences = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    /** The instances the app asked for (pushSubscribe's last list). */
    fun wanted(): Set<String> = HashSet(prefs.getStringSet(WANTED, null) ?: emptySet())

    fun setWanted(instances: Set<String>) {
        prefs.edit().putStringSet(WANTED, HashSet(instances)).apply()
    }

    fun saveEndpoint(instance: String, endpoint: String, p256dh: String, auth: String) {
        val json = JSONObject()
        json.put("endpoint", endpoint)
        json.put("p256dh", p256dh)
        json.put("auth", auth)
        prefs.edit().putString(ENDPOINT + instance, json.toString()).remove(FAILED + instance).apply()
    }

    fun saveFailure(instance: String, reason: String) {
        prefs.edit().putString(FAILED + instance, reason).apply()
    }

    /** Forgets an instance's endpoint and failure (unregistered). */
    fun forget(instance: String) {
        prefs.edit().remove(ENDPOINT + instance).remove(FAILED + instance).apply()
    }

    /** [{"instance","endpoint","p256dh","auth"}] of the wanted instances. */
    fun endpoints(): JSArray {
        val wanted = wanted()
        val list = JSArray()
        for ((key, value) in prefs.all) {
            if (!key.startsWith(ENDPOINT) || value !is String) continue
            val instance = key.removePrefix(ENDPOINT)
            if (instance !in wanted) continue
            try {
                val stored = JSONObject(value)
                val entry = JSObject()
                entry.put("instance", instance)
                entry.put("endpoint", stored.getString("endpoint"))
                entry.put("p256dh", stored.getString("p256dh"))
                entry.put("auth", stored.getString("auth"))
                list.put(entry)
            } catch (e: JSONException) {
                // A damaged entry is left out: the next endpoint replaces it.
            }
        }
        return list
    }

    /** [{"instance","reason"}] of the wanted instances whose registration failed. */
    fun failures(): JSArray {
        val wanted = wanted()
        val list = JSArray()
        for ((key, value) in prefs.all) {
            if (!key.startsWith(FAILED) || value !is String) continue
            val instance = key.removePrefix(FAILED)
            if (instance !in wanted) continue
            val entry = JSObject()
            entry.put("instance", instance)
            entry.put("reason", value)
            list.put(entry)
        }
        return list
    }

    private companion object {
        const val PREFS = "id.spse.auth.push"
        const val WANTED = "wanted"
        const val ENDPOINT = "endpoint/"
        const val FAILED = "failed/"
    }
}

/** Google Play services' package: what the embedded FCM distributor registers through. */
private const val PLAY_SERVICES = "com.google.android.gms"

/** The push state's name of the embedded FCM distributor (the UI says "Google (FCM)"). */
internal const val EMBEDDED_FCM = "fcm"

/**
 * Which distributor SPSE Auth registers with, in this order: a distributor
 * app the user installed (ntfy, Sunup...: the one already in use, else the
 * phone's default, which may ask the user to choose); else the embedded FCM
 * distributor (org.unifiedpush.android:embedded-fcm-distributor, merged from
 * its library: its own UnifiedPushReceiver takes the app's registrations,
 * with the app's own package as the distributor) when Google Play services
 * are installed; else none, and the app's Settings offer "Selalu aktif".
 * The embedded one asks Google for a Web Push endpoint bound to the site's
 * VAPID key (https://fcm.googleapis.com/fcm/send/...), so no site needs any
 * Firebase credential, and the build needs no Firebase project either.
 */
internal object PushDistributor {
    /**
     * Whether Google Play services are installed: the embedded library's own
     * check (EmbeddedDistributorReceiver.isPlayServicesAvailable, private),
     * which answers ACTION_REQUIRED to every registration without them. The
     * plugin's manifest makes the package visible (Android 11+ <queries>).
     */
    fun playServicesAvailable(context: Context): Boolean =
        try {
            context.packageManager.getPackageInfo(PLAY_SERVICES, PackageManager.GET_ACTIVITIES)
            true
        } catch (e: PackageManager.NameNotFoundException) {
            false
        }

    /** The distributor apps installed: the connector's list less the app itself (the embedded one). */
    fun apps(context: Context): List<String> =
        UnifiedPush.getDistributors(context).filter { it != context.packageName }

    /** What the push state calls a distributor: "fcm" for the embedded one, else its package. */
    fun name(context: Context, distributor: String): String =
        if (distributor == context.packageName) EMBEDDED_FCM else distributor

    /**
     * Chooses the distributor (saved with the connector) and calls [done]
     * with whether there is one; on the UI thread, as the choice may open
     * the system's picker.
     */
    fun choose(activity: Activity, done: (Boolean) -> Unit) {
        val context = activity.applicationContext
        val saved = UnifiedPush.getSavedDistributor(context)
        if (saved != null && saved != context.packageName) {
            // The user's choice, still installed (the connector checks).
            done(true)
            return
        }
        if (apps(context).isNotEmpty()) {
            // A distributor app was installed (maybe after the embedded one
            // was taken): the phone's default, or the user's pick.
            UnifiedPush.tryUseDefaultDistributor(activity) { found ->
                val now = UnifiedPush.getSavedDistributor(context)
                if (found && now != null && now != context.packageName) {
                    done(true)
                } else {
                    useEmbedded(context, done)
                }
            }
            return
        }
        useEmbedded(context, done)
    }

    /** The embedded FCM distributor if Play services are there, else none. */
    private fun useEmbedded(context: Context, done: (Boolean) -> Unit) {
        val own = context.packageName
        if (playServicesAvailable(context) && own in UnifiedPush.getDistributors(context)) {
            UnifiedPush.saveDistributor(context, own)
            done(true)
            return
        }
        if (UnifiedPush.getSavedDistributor(context) == own) {
            // Play services gone: the FCM endpoints are dead, not offered.
            UnifiedPush.removeDistributor(context)
            val store = PushStore(context)
            for (instance in store.wanted()) store.forget(instance)
        }
        done(false)
    }
}

/**
 * Receives the distributor's events for SPSE Auth (declared in the plugin's
 * manifest, not exported, with the connector's PUSH_EVENT filter).
 */
class SpsePushService : PushService() {
    override fun onNewEndpoint(endpoint: PushEndpoint, instance: String) {
        val keys = endpoint.pubKeySet
        if (keys == null) {
            // A distributor of the older spec: no Web Push keys, so the site
            // could not encrypt to this endpoint. Not offered to the site.
            PushStore(this).saveFailure(instance, "NO_WEBPUSH_KEYS")
            return
        }
        PushStore(this).saveEndpoint(instance, endpoint.url, keys.pubKey, keys.auth)
    }

    override fun onMessage(message: PushMessage, instance: String) {
        // Only a decrypted {"v":1,"kind":"login"} for an account the app still
        // has: anything else (the push server's own, a stale account) is dropped.
        if (!message.decrypted || !isLoginWakeUp(message.content)) return
        if (instance !in PushStore(this).wanted()) return
        LoginNotification.show(this, instance)
    }

    override fun onRegistrationFailed(reason: FailedReason, instance: String) {
        PushStore(this).saveFailure(instance, reason.name)
    }

    override fun onUnregistered(instance: String) {
        PushStore(this).forget(instance)
    }
}

/** Whether a decrypted push body is the login wake-up of protocol.md §6.6. */
internal fun isLoginWakeUp(content: ByteArray): Boolean =
    try {
        val body = JSONObject(String(content, Charsets.UTF_8))
        body.optInt("v") == 1 && body.optString("kind") == "login"
    } catch (e: JSONException) {
        false
    }

/** The words of the notification, in Indonesian or English as the phone is set. */
internal class LoginTexts(val channel: String, val title: String, val body: String) {
    companion object {
        fun forLocale(locale: Locale): LoginTexts =
            // Android's Locale still reports Indonesian as "in" on many versions.
            if (locale.language == "in" || locale.language == "id") {
                LoginTexts("Permintaan login", "Permintaan login", "Buka SPSE Auth untuk menjawab")
            } else {
                LoginTexts("Login requests", "Login request", "Open SPSE Auth to answer")
            }
    }
}

/** Whether notifications may be shown: the permission (Android 13+) and the user's switch. */
internal fun notificationsAllowed(context: Context): Boolean {
    if (Build.VERSION.SDK_INT >= 33 &&
        context.checkSelfPermission(Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
    ) {
        return false
    }
    val manager = context.getSystemService(Context.NOTIFICATION_SERVICE) as NotificationManager
    return manager.areNotificationsEnabled()
}

/** The tag of the running app's login notifications ([LoginNotification.showLogin]). */
private const val LOGIN_TAG = "login"

/**
 * The heads-up notification of a login request; hidden detail on the lock
 * screen; a tap opens the app, gone after 60 s. Two paths share it: a push
 * wake-up's ([show]: the app's generic words, nothing from the site, the
 * push carries none) and the running app's ([showLogin]: the app's own
 * words naming the account and site, never a number or code).
 */
internal object LoginNotification {
    /** A push wake-up's, one per account: tagged with its instance. */
    fun show(context: Context, instance: String) {
        val texts = LoginTexts.forLocale(Locale.getDefault())
        post(context, instance, LOGIN_NOTIFICATION_ID, texts.title, texts.body)
    }

    /** The running app's (its long poll found a login): tagged "login" under the app's id. */
    fun showLogin(context: Context, id: Int, title: String, body: String) {
        post(context, LOGIN_TAG, id, title, body)
    }

    /** Withdraws a notification of [showLogin] (answered, or gone on the site). */
    fun cancelLogin(context: Context, id: Int) {
        val manager = context.getSystemService(Context.NOTIFICATION_SERVICE) as NotificationManager
        manager.cancel(LOGIN_TAG, id)
    }

    private fun post(context: Context, tag: String, id: Int, title: String, body: String) {
        if (!notificationsAllowed(context)) return
        val manager = context.getSystemService(Context.NOTIFICATION_SERVICE) as NotificationManager
        val texts = LoginTexts.forLocale(Locale.getDefault())
        if (Build.VERSION.SDK_INT >= 26) {
            val channel = NotificationChannel(LOGIN_CHANNEL, texts.channel, NotificationManager.IMPORTANCE_HIGH)
            channel.lockscreenVisibility = Notification.VISIBILITY_PRIVATE
            manager.createNotificationChannel(channel)
        }
        val builder = builder(context)
        if (Build.VERSION.SDK_INT >= 26) {
            builder.setTimeoutAfter(LOGIN_LIFETIME_MS)
        } else {
            // Android 7: no channels; heads-up from high priority with sound.
            @Suppress("DEPRECATION")
            builder.setPriority(Notification.PRIORITY_HIGH).setDefaults(Notification.DEFAULT_ALL)
        }
        // What the lock screen shows: the app's name, no detail.
        val publicVersion = builder(context)
            .setSmallIcon(R.drawable.spse_notification)
            .setContentTitle("SPSE Auth")
            .build()
        builder
            .setSmallIcon(R.drawable.spse_notification)
            .setContentTitle(title)
            .setContentText(body)
            .setCategory(Notification.CATEGORY_MESSAGE)
            .setVisibility(Notification.VISIBILITY_PRIVATE)
            .setPublicVersion(publicVersion)
            .setShowWhen(true)
            .setAutoCancel(true)
        val open = context.packageManager.getLaunchIntentForPackage(context.packageName)
        if (open != null) {
            open.addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP or Intent.FLAG_ACTIVITY_CLEAR_TOP)
            builder.setContentIntent(
                PendingIntent.getActivity(
                    context, 0, open, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
                ),
            )
        }
        try {
            manager.notify(tag, id, builder.build())
        } catch (e: SecurityException) {
            // The permission was withdrawn between the check and here: nothing shown.
        }
    }

    private fun builder(context: Context): Notification.Builder =
        if (Build.VERSION.SDK_INT >= 26) {
            Notification.Builder(context, LOGIN_CHANNEL)
        } else {
            @Suppress("DEPRECATION")
            Notification.Builder(context)
        }
}
