package id.spse.auth.android

import android.Manifest
import android.app.Activity
import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.os.PersistableBundle
import android.provider.DocumentsContract
import android.provider.OpenableColumns
import android.security.NetworkSecurityPolicy
import android.util.Base64
import android.view.WindowManager
import androidx.activity.result.ActivityResult
import app.tauri.PermissionState
import app.tauri.annotation.ActivityCallback
import app.tauri.annotation.Command
import app.tauri.annotation.InvokeArg
import app.tauri.annotation.Permission
import app.tauri.annotation.PermissionCallback
import app.tauri.annotation.TauriPlugin
import app.tauri.plugin.Invoke
import app.tauri.plugin.JSObject
import app.tauri.plugin.Plugin
import io.crates.keyring.Keyring
import org.json.JSONObject
import org.unifiedpush.android.connector.UnifiedPush
import kotlin.concurrent.thread

/** The label of the clips this app makes: how a clip is known as ours without reading it. */
private const val CLIP_LABEL = "SPSE Auth"

/** ClipDescription.EXTRA_IS_SENSITIVE, spelled out for Android 7 to 12 (it is honoured from 13). */
private const val EXTRA_IS_SENSITIVE = "android.content.extra.IS_SENSITIVE"

/** The alias of POST_NOTIFICATIONS in the plugin's permissions (Tauri's mechanism). */
private const val NOTIFICATIONS = "notifications"

/** What a distributor may show beside a registration. */
private const val REGISTRATION_LABEL = "SPSE Auth"

/** The type of a saved document when the caller names none: opaque bytes. */
private const val DOCUMENT_TYPE = "application/octet-stream"

@InvokeArg
class SecureArgs {
    /** Screenshot protection on (FLAG_SECURE) or off. */
    var on: Boolean = true
}

@InvokeArg
class CopyArgs {
    /** The code to put on the clipboard. */
    var text: String = ""
}

@InvokeArg
class AlwaysOnArgs {
    /** The "always on" foreground service on or off. */
    var on: Boolean = false
}

@InvokeArg
class ShowLoginArgs {
    /** The app's id of the login: the notification's, under the tag "login". */
    var id: Int = 0

    /** The app's own words naming the account and site: never a number or code. */
    var title: String = ""
    var body: String = ""
}

@InvokeArg
class CancelLoginArgs {
    /** The id given to showLogin. */
    var id: Int = 0
}

@InvokeArg
class SaveDocumentArgs {
    /** The file name the picker suggests (EXTRA_TITLE): the user may change it. */
    var name: String = ""

    /** The document's MIME type, as the picker and the provider see it. */
    var mimeType: String = DOCUMENT_TYPE

    /**
     * The bytes, standard base64: decoded only once the user has chosen a
     * place, and the decoded array wiped after writing (this String itself
     * cannot be wiped).
     */
    var data: String = ""
}

/** A step of saving a document that failed: the message names the step and the exception's class, never the bytes. */
private class SaveFailed(step: String, cause: Throwable? = null) :
    Exception("save document: $step" + if (cause == null) "" else " (${cause.javaClass.simpleName})")

@InvokeArg
class PushInstanceArg {
    /** The account id: one UnifiedPush instance per enrolled account. */
    var instance: String = ""

    /** The site's VAPID public key, base64url of the 65-byte uncompressed point. */
    var vapidKey: String = ""
}

@InvokeArg
class PushSubscribeArgs {
    /** Every account that wants wake-ups; any other registration is dropped. */
    var instances: List<PushInstanceArg> = emptyList()
}

/**
 * SPSE Auth's Android glue. Made by Rust (`register_android_plugin`) while
 * the app starts; the web view cannot call it (no permission is granted).
 */
@TauriPlugin(
    permissions = [Permission(strings = [Manifest.permission.POST_NOTIFICATIONS], alias = NOTIFICATIONS)],
)
class SpsePlugin(private val activity: Activity) : Plugin(activity) {
    init {
        // Before Rust makes the Keystore-backed credential store, which
        // finds the application context through ndk-context.
        Keyring.initializeNdkContext(activity.applicationContext)
    }

    /** Turns FLAG_SECURE on or off (MainActivity turns it on at start). */
    @Command
    fun setSecure(invoke: Invoke) {
        val args = invoke.parseArgs(SecureArgs::class.java)
        activity.runOnUiThread {
            if (args.on) {
                activity.window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
            } else {
                activity.window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE)
            }
            invoke.resolve()
        }
    }

    /**
     * Whether this build may use plain http: the manifest's
     * usesCleartextTraffic (false in release, unless built for training).
     * Rust enforces it for its own connections, which Android does not police.
     */
    @Command
    fun cleartextPermitted(invoke: Invoke) {
        val result = JSObject()
        result.put("permitted", NetworkSecurityPolicy.getInstance().isCleartextTrafficPermitted)
        invoke.resolve(result)
    }

    /**
     * Whether the phone has any camera: the scanner's `scan()` never settles
     * on one without, so the UI offers a photo of the QR code instead.
     */
    @Command
    fun hasCamera(invoke: Invoke) {
        val result = JSObject()
        result.put("camera", activity.packageManager.hasSystemFeature(PackageManager.FEATURE_CAMERA_ANY))
        invoke.resolve(result)
    }

    /**
     * Puts a code on the clipboard marked sensitive, so Android 13+ shows
     * no preview of it and keyboards do not suggest it.
     */
    @Command
    fun copySensitive(invoke: Invoke) {
        val args = invoke.parseArgs(CopyArgs::class.java)
        activity.runOnUiThread {
            val clip = ClipData.newPlainText(CLIP_LABEL, args.text)
            val extras = PersistableBundle()
            extras.putBoolean(
                if (Build.VERSION.SDK_INT >= 33) ClipDescription.EXTRA_IS_SENSITIVE else EXTRA_IS_SENSITIVE,
                true,
            )
            clip.description.extras = extras
            clipboard().setPrimaryClip(clip)
            invoke.resolve()
        }
    }

    /**
     * Clears a code this app copied, without reading the clipboard (Android
     * 10+ refuses that to an app in the background, where the 30 s timer
     * usually ends). Only a clip whose label says it is another app's, as
     * far as Android lets us see the label, is left alone.
     */
    @Command
    fun clearCopied(invoke: Invoke) {
        activity.runOnUiThread {
            val clipboard = clipboard()
            val label = clipboard.primaryClipDescription?.label?.toString()
            if (label == null || label == CLIP_LABEL) {
                if (Build.VERSION.SDK_INT >= 28) {
                    clipboard.clearPrimaryClip()
                } else {
                    clipboard.setPrimaryClip(ClipData.newPlainText("", ""))
                }
            }
            invoke.resolve()
        }
    }

    /**
     * Registers one UnifiedPush instance per account with the distributor
     * [PushDistributor.choose] picks (a distributor app: the one in use, or
     * the phone's default, which may ask the user to choose, the answer
     * coming when they have; else the embedded FCM distributor where Google
     * Play services are; else none), and unregisters the instances no longer
     * listed. Resolves with the push state; the endpoints arrive later, in
     * SpsePushService, and show in a later pushState.
     */
    @Command
    fun pushSubscribe(invoke: Invoke) {
        val args = invoke.parseArgs(PushSubscribeArgs::class.java)
        activity.runOnUiThread {
            PushDistributor.choose(activity) { found ->
                val context = activity.applicationContext
                val store = PushStore(context)
                val wanted = args.instances.map { it.instance }.toSet()
                for (gone in store.wanted() - wanted) {
                    UnifiedPush.unregister(context, gone)
                    store.forget(gone)
                }
                store.setWanted(wanted)
                if (found) {
                    for (one in args.instances) {
                        try {
                            UnifiedPush.register(context, one.instance, REGISTRATION_LABEL, one.vapidKey)
                        } catch (e: Exception) {
                            // VapidNotValidException: not an 87-character base64url key.
                            store.saveFailure(one.instance, "VAPID_INVALID")
                        }
                    }
                }
                invoke.resolve(pushState())
            }
        }
    }

    /**
     * Starts or stops the "always on" foreground service (AlwaysOn.kt),
     * which keeps this process, and the Rust side's long polls, alive in the
     * background. Rejects when Android refuses the start (Android 12+ from
     * the background).
     */
    @Command
    fun setAlwaysOn(invoke: Invoke) {
        val args = invoke.parseArgs(AlwaysOnArgs::class.java)
        val context = activity.applicationContext
        try {
            if (args.on) AlwaysOnService.start(context) else AlwaysOnService.stop(context)
            invoke.resolve()
        } catch (e: RuntimeException) {
            // ForegroundServiceStartNotAllowedException (an IllegalStateException) or a SecurityException.
            invoke.reject("always on: ${e.javaClass.simpleName}")
        }
    }

    /** Shows the running app's login notification (heads-up, 60 s), if notifications are allowed. */
    @Command
    fun showLogin(invoke: Invoke) {
        val args = invoke.parseArgs(ShowLoginArgs::class.java)
        LoginNotification.showLogin(activity.applicationContext, args.id, args.title, args.body)
        invoke.resolve()
    }

    /** Withdraws a notification of showLogin. */
    @Command
    fun cancelLogin(invoke: Invoke) {
        val args = invoke.parseArgs(CancelLoginArgs::class.java)
        LoginNotification.cancelLogin(activity.applicationContext, args.id)
        invoke.resolve()
    }

    /**
     * Asks the user where to save a backup or an export: the system's file
     * picker (ACTION_CREATE_DOCUMENT, no storage permission needed), the
     * name suggested. savedDocument writes the document once they have
     * chosen. Rust waits for the answer (not on the main thread).
     */
    @Command
    fun saveDocument(invoke: Invoke) {
        val args = invoke.parseArgs(SaveDocumentArgs::class.java)
        val intent = Intent(Intent.ACTION_CREATE_DOCUMENT)
        intent.addCategory(Intent.CATEGORY_OPENABLE)
        intent.type = args.mimeType.ifEmpty { DOCUMENT_TYPE }
        intent.putExtra(Intent.EXTRA_TITLE, args.name)
        try {
            // Tauri calls back the @ActivityCallback of this name; with no
            // such method it never answers, and Rust would wait for ever.
            startActivityForResult(invoke, intent, "savedDocument")
        } catch (e: RuntimeException) {
            // ActivityNotFoundException: no documents UI (some stripped-down phones).
            invoke.reject(SaveFailed("opening the file picker", e).message)
        }
    }

    /**
     * The picker's answer. RESULT_OK: writes the bytes to the chosen
     * document on an IO thread and resolves {saved: true, name} (the
     * document's display name); anything else is the picker closed
     * without a place: {saved: false, name: null}. Resolves or rejects
     * exactly once, on every path.
     */
    @ActivityCallback
    fun savedDocument(invoke: Invoke, result: ActivityResult) {
        if (result.resultCode != Activity.RESULT_OK) {
            invoke.resolve(savedAnswer(null))
            return
        }
        val uri = result.data?.data
        if (uri == null) {
            invoke.reject(SaveFailed("reading the file picker's answer: no document").message)
            return
        }
        thread(name = "spse-save-document") {
            val answer = try {
                savedAnswer(writeDocument(invoke, uri))
            } catch (e: SaveFailed) {
                invoke.reject(e.message)
                return@thread
            } catch (e: Exception) {
                invoke.reject(SaveFailed("saving", e).message)
                return@thread
            }
            invoke.resolve(answer)
        }
    }

    /**
     * Decodes the bytes, writes them to the document (mode "wt": truncated,
     * so nothing of an older file stays behind them), wipes the decoded
     * array, and answers the display name (the suggested name when the
     * provider tells none). A document not written whole is deleted: no
     * half backup left in Files. Throws SaveFailed naming the step.
     */
    private fun writeDocument(invoke: Invoke, uri: Uri): String {
        val resolver = activity.contentResolver
        val args = try {
            invoke.parseArgs(SaveDocumentArgs::class.java)
        } catch (e: Exception) {
            discardDocument(uri)
            throw SaveFailed("reading the arguments", e)
        }
        val bytes = try {
            Base64.decode(args.data, Base64.DEFAULT)
        } catch (e: IllegalArgumentException) {
            discardDocument(uri)
            throw SaveFailed("decoding the data", e)
        }
        try {
            val stream = resolver.openOutputStream(uri, "wt")
                ?: throw SaveFailed("opening the document: the provider gave no stream")
            stream.use { it.write(bytes) }
        } catch (e: SaveFailed) {
            discardDocument(uri)
            throw e
        } catch (e: Exception) {
            // FileNotFoundException, IOException (also from close: a provider's upload), SecurityException.
            discardDocument(uri)
            throw SaveFailed("writing the document", e)
        } finally {
            bytes.fill(0)
        }
        return displayName(uri) ?: args.name
    }

    /** Deletes a document that could not be written whole; if the provider refuses, it stays (empty or partial). */
    private fun discardDocument(uri: Uri) {
        try {
            DocumentsContract.deleteDocument(activity.contentResolver, uri)
        } catch (e: Exception) {
            // Nothing more to do: the failure of the save is what is reported.
        }
    }

    /** The document's OpenableColumns.DISPLAY_NAME, what the user finds in Files, or null if the provider tells none. */
    private fun displayName(uri: Uri): String? = try {
        activity.contentResolver.query(uri, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { cursor ->
            if (cursor.moveToFirst() && !cursor.isNull(0)) cursor.getString(0) else null
        }
    } catch (e: Exception) {
        // The document is written: a provider that cannot say its name does not fail the save.
        null
    }

    /** saveDocument's answer: {saved: true, name} for a written document, {saved: false, name: null} when cancelled. */
    private fun savedAnswer(name: String?): JSObject {
        val answer = JSObject()
        answer.put("saved", name != null)
        answer.put("name", name ?: JSONObject.NULL)
        return answer
    }

    /** The push state: distributor, notification permission, endpoints, failures. */
    @Command
    fun pushState(invoke: Invoke) {
        invoke.resolve(pushState())
    }

    /**
     * Asks for POST_NOTIFICATIONS (Android 13+) if it may still be asked,
     * through Tauri's permission mechanism; resolves with the push state
     * once the user has answered, or at once.
     */
    @Command
    fun askNotifications(invoke: Invoke) {
        if (Build.VERSION.SDK_INT >= 33 && notificationState() == "prompt") {
            requestPermissionForAlias(NOTIFICATIONS, invoke, "notificationsAnswered")
        } else {
            invoke.resolve(pushState())
        }
    }

    @PermissionCallback
    private fun notificationsAnswered(invoke: Invoke) {
        invoke.resolve(pushState())
    }

    /** "granted", "denied" (refused, or switched off in Settings) or "prompt" (may be asked). */
    private fun notificationState(): String {
        if (notificationsAllowed(activity)) return "granted"
        if (Build.VERSION.SDK_INT < 33) return "denied"
        return when (getPermissionState(NOTIFICATIONS)) {
            PermissionState.PROMPT, PermissionState.PROMPT_WITH_RATIONALE -> "prompt"
            else -> "denied"
        }
    }

    private fun pushState(): JSObject {
        val store = PushStore(activity.applicationContext)
        val state = JSObject()
        // The package of the distributor app, "fcm" for the embedded one, or null.
        val distributor = UnifiedPush.getAckDistributor(activity.applicationContext)
        state.put(
            "distributor",
            if (distributor == null) JSONObject.NULL else PushDistributor.name(activity.applicationContext, distributor),
        )
        state.put("notifications", notificationState())
        state.put("endpoints", store.endpoints())
        state.put("failed", store.failures())
        return state
    }

    private fun clipboard(): ClipboardManager =
        activity.getSystemService(Context.CLIPBOARD_SERVICE) as ClipboardManager
}
