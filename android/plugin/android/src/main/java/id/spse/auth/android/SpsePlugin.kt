package id.spse.auth.android

import android.app.Activity
import android.security.NetworkSecurityPolicy
import android.view.WindowManager
import app.tauri.annotation.Command
import app.tauri.annotation.InvokeArg
import app.tauri.annotation.TauriPlugin
import app.tauri.plugin.Invoke
import app.tauri.plugin.JSObject
import app.tauri.plugin.Plugin
import io.crates.keyring.Keyring

@InvokeArg
class SecureArgs {
    /** Screenshot protection on (FLAG_SECURE) or off. */
    var on: Boolean = true
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
}
