package app.tauri.plugin

import android.app.Activity
import android.content.Intent
import android.webkit.WebView
import app.tauri.PermissionState

// The members of tauri's Plugin.kt that SPSE Auth's plugin uses, with the
// same signatures (android/check/kotlin_check.sh finds each line in the
// real file). The real class needs AppCompat, Jackson and permission
// helpers the SDK-less check has no use for.
abstract class Plugin(private val activity: Activity) {
  var handle: PluginHandle? = null
  open fun load(webView: WebView) {}
  fun<T> getConfig(cls: Class<T>): T { throw IllegalStateException("stub") }
  open fun onNewIntent(intent: Intent) {}
  open fun onPause() {}
  open fun onResume() {}
  fun startActivityForResult(invoke: Invoke, intent: Intent, callbackName: String) {}
  protected fun requestPermissionForAlias(
    alias: String,
    invoke: Invoke,
    callbackName: String
  ) {}
  fun getPermissionState(alias: String): PermissionState? { return null }
}

class PluginHandle
