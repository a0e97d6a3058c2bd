package app.tauri.plugin

import android.content.Intent
import android.content.res.Configuration
import androidx.appcompat.app.AppCompatActivity

// The members of tauri's PluginManager.kt that the generated TauriActivity
// calls (android/check/kotlin_check.py finds each line in the real file).
object PluginManager {
  fun onCreate(activity: AppCompatActivity) {}
  fun onNewIntent(intent: Intent) {}
  fun onPause(activity: AppCompatActivity) {}
  fun onResume(activity: AppCompatActivity) {}
  fun onStop(activity: AppCompatActivity) {}
  fun onRestart(activity: AppCompatActivity) {}
  fun onDestroy(activity: AppCompatActivity) {}
  fun onConfigurationChanged(newConfig: Configuration) {}
}
