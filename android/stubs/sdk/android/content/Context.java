package android.content;
import android.content.pm.PackageManager;
public abstract class Context {
    public static final String CLIPBOARD_SERVICE = "clipboard";
    public static final String NOTIFICATION_SERVICE = "notification";
    public static final int MODE_PRIVATE = 0x0000;
    public abstract Context getApplicationContext();
    public abstract ContentResolver getContentResolver();
    public abstract PackageManager getPackageManager();
    public abstract String getPackageName();
    public abstract SharedPreferences getSharedPreferences(String name, int mode);
    public abstract Object getSystemService(String name);
    public abstract int checkSelfPermission(String permission);
    public abstract ComponentName startService(Intent service);
    public abstract ComponentName startForegroundService(Intent service);
    public abstract boolean stopService(Intent service);
}
