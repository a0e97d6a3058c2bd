package id.spse.auth.android

import android.app.Activity
import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import android.os.PersistableBundle
import android.security.NetworkSecurityPolicy
import android.view.WindowManager
import app.tauri.annotation.Command
import app.tauri.annotation.InvokeArg
import app.tauri.annotation.TauriPlugin
import app.tauri.plugin.Invoke
import app.tauri.plugin.JSObject
import app.tauri.plugin.Plugin
import io.crates.keyring.Keyring

/** The label of the clips this app makes: how a clip is known as ours without reading it. */
private const val CLIP_LABEL = "SPSE Auth"

/** ClipDescription.EXTRA_IS_SENSITIVE, spelled out for Android 7 to 12 (it is honoured from 13). */
private const val EXTRA_IS_SENSITIVE = "android.content.extra.IS_SENSITIVE"

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

/**
 * SPSE Auth's Android glue. Made by Rust (`register_android_plugin`) while
 * the app starts; the web view cannot call it (no permission is granted).
 */
@TauriPlugin
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

    private fun clipboard(): ClipboardManager =
        activity.getSystemService(Context.CLIPBOARD_SERVICE) as ClipboardManager
}
