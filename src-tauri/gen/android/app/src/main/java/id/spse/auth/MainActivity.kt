package id.spse.auth

import android.os.Bundle
import android.view.WindowManager
import android.webkit.WebView
import androidx.activity.enableEdgeToEdge

class MainActivity : TauriActivity() {
  override fun onCreate(savedInstanceState: Bundle?) {
    // Screenshot protection from the first frame, before the settings are
    // read; the setting turns it off through the spse-android plugin.
    window.setFlags(
      WindowManager.LayoutParams.FLAG_SECURE,
      WindowManager.LayoutParams.FLAG_SECURE,
    )
    // No WebView debugging in release builds (wry turns it on for debug
    // builds only; this makes the release default explicit).
    WebView.setWebContentsDebuggingEnabled(BuildConfig.DEBUG)
    enableEdgeToEdge()
    super.onCreate(savedInstanceState)
  }
}
