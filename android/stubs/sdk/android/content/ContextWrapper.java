package android.content;
import android.content.pm.PackageManager;
public class ContextWrapper extends Context {
    public ContextWrapper(Context base) {}
    public Context getApplicationContext() { return this; }
    public ContentResolver getContentResolver() { return null; }
    public PackageManager getPackageManager() { return null; }
    public String getPackageName() { return ""; }
    public SharedPreferences getSharedPreferences(String name, int mode) { return null; }
    public Object getSystemService(String name) { return null; }
    public int checkSelfPermission(String permission) { return PackageManager.PERMISSION_DENIED; }
    public ComponentName startService(Intent service) { return null; }
    public ComponentName startForegroundService(Intent service) { return null; }
    public boolean stopService(Intent service) { return false; }
}
