package id.spse.auth

import android.content.pm.PackageManager
import android.os.Build
import android.os.Bundle
import android.security.NetworkSecurityPolicy
import android.view.View
import android.view.WindowManager
import android.webkit.WebView
import androidx.activity.enableEdgeToEdge
import androidx.core.view.ViewCompat
import androidx.core.view.WindowInsetsCompat

/** Android 17's runtime permission for connections to the local network. */
private const val ACCESS_LOCAL_NETWORK = "android.permission.ACCESS_LOCAL_NETWORK"

class MainActivity : TauriActivity() {
  override fun onCreate(savedInstanceState: Bundle?) {
    // Screenshot protection from the first frame, before the settings are
    // read; the setting turns it off through the spse-android plugin.
    window.setFlags(
      WindowManager.LayoutParams.FLAG_SECURE,
      WindowManager.LayoutParams.FLAG_SECURE,
    )
    // No other app's window (an overlay that could dress up the login
    // sheet and steer a tap onto Ya) is drawn over this one (API 31+; the
    // manifest declares HIDE_OVERLAY_WINDOWS). Older phones rely on the web
    // view's filterTouchesWhenObscured below.
    if (Build.VERSION.SDK_INT >= 31) {
      window.setHideOverlayWindows(true)
    }
    // No WebView debugging in release builds (wry turns it on for debug
    // builds only; this makes the release default explicit).
    WebView.setWebContentsDebuggingEnabled(BuildConfig.DEBUG)
    enableEdgeToEdge()
    super.onCreate(savedInstanceState)
    keepClearOfSystemBarsAndKeyboard(findViewById(android.R.id.content))
    askForTheLocalNetworkInTrainingBuilds()
  }

  /**
   * Edge to edge (enableEdgeToEdge, and enforced from Android 15), the web
   * view would lie under the status bar, the navigation bar, a display
   * cutout and the keyboard, which does not resize it from API 30: the
   * header, the add button and the login sheet's number field and Ya/Tidak
   * would be covered. The view holding the web view is padded by those
   * insets instead (the window background, the UI's surface colour, shows
   * behind the transparent bars), so the page's viewport is exactly the
   * part of the screen nothing covers, and shrinks while the keyboard is up.
   */
  private fun keepClearOfSystemBarsAndKeyboard(content: View) {
    ViewCompat.setOnApplyWindowInsetsListener(content) { view, insets ->
      val covered = insets.getInsets(
        WindowInsetsCompat.Type.systemBars() or
          WindowInsetsCompat.Type.displayCutout() or
          WindowInsetsCompat.Type.ime(),
      )
      view.setPadding(covered.left, covered.top, covered.right, covered.bottom)
      WindowInsetsCompat.CONSUMED
    }
    ViewCompat.requestApplyInsets(content)
  }

  /** A tap that arrives through another app's window is dropped (tapjacking). */
  override fun onWebViewCreate(webView: WebView) {
    webView.filterTouchesWhenObscured = true
  }

  /**
   * Only a build that may reach an http:// training server (a training or
   * debug build: the sandbox on a LAN) needs the local network; Android 17
   * asks the user for it at run time. Release builds never declare it.
   */
  private fun askForTheLocalNetworkInTrainingBuilds() {
    if (Build.VERSION.SDK_INT >= 37 &&
      NetworkSecurityPolicy.getInstance().isCleartextTrafficPermitted &&
      checkSelfPermission(ACCESS_LOCAL_NETWORK) != PackageManager.PERMISSION_GRANTED
    ) {
      requestPermissions(arrayOf(ACCESS_LOCAL_NETWORK), 37)
    }
  }
}
