package app.tauri.plugin

import android.content.Intent
import android.content.res.Configuration
import androidx.appcompat.app.AppCompatActivity

// The members of tauri's PluginManager.kt that the generated TauriActivity
// calls (android/check/kotlin_check.sh finds each line in the real file).
object PluginManager {
  fun onActivityCreate(activity: AppCompatActivity) {}
  fun onNewIntent(intent: Intent) {}
  fun onPause() {}
  fun onResume() {}
  fun onStop() {}
  fun onRestart(activity: AppCompatActivity) {}
  fun onDestroy(activity: AppCompatActivity) {}
  fun onConfigurationChanged(newConfig: Configuration) {}
}
