package id.spse.auth

import android.content.Intent
import android.os.Bundle
import android.webkit.WebView
import androidx.appcompat.app.AppCompatActivity

// The members of wry's generated WryActivity.kt that TauriActivity and
// MainActivity use (android/check/kotlin_check.sh finds each line in the
// real file). The real class drives the WebView through JNI.
abstract class WryActivity : AppCompatActivity() {
    open val handleBackNavigation: Boolean = true
    open fun onWebViewCreate(webView: WebView) { }
    override fun onCreate(savedInstanceState: Bundle?) {}
    override fun onNewIntent(intent: Intent) {}
    override fun onDestroy() {}
}
