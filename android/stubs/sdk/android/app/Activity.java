package android.app;
import android.content.ComponentName;
import android.content.ContentResolver;
import android.content.Context;
import android.content.Intent;
import android.content.SharedPreferences;
import android.content.pm.PackageManager;
import android.content.res.Configuration;
import android.os.Bundle;
import android.view.View;
import android.view.Window;
public class Activity extends Context {
    public static final int RESULT_OK = -1;
    public static final int RESULT_CANCELED = 0;
    public Context getApplicationContext() { return this; }
    public ContentResolver getContentResolver() { return null; }
    public Window getWindow() { return new Window(); }
    public <T extends View> T findViewById(int id) { return null; }
    public final void runOnUiThread(Runnable action) {}
    public int checkSelfPermission(String permission) { return PackageManager.PERMISSION_GRANTED; }
    public final void requestPermissions(String[] permissions, int requestCode) {}
    public PackageManager getPackageManager() { return null; }
    public String getPackageName() { return ""; }
    public SharedPreferences getSharedPreferences(String name, int mode) { return null; }
    public Object getSystemService(String name) { return null; }
    public ComponentName startService(Intent service) { return null; }
    public ComponentName startForegroundService(Intent service) { return null; }
    public boolean stopService(Intent service) { return false; }
    protected void onCreate(Bundle savedInstanceState) {}
    protected void onNewIntent(Intent intent) {}
    protected void onRestart() {}
    protected void onResume() {}
    protected void onPause() {}
    protected void onStop() {}
    protected void onDestroy() {}
    public void onConfigurationChanged(Configuration newConfig) {}
}
