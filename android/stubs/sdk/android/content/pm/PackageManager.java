package android.content.pm;
import android.content.Intent;
import android.util.AndroidException;
public abstract class PackageManager {
    public static final int PERMISSION_GRANTED = 0;
    public static final int PERMISSION_DENIED = -1;
    public static final int GET_ACTIVITIES = 0x00000001;
    public static final String FEATURE_CAMERA_ANY = "android.hardware.camera.any";
    public abstract boolean hasSystemFeature(String name);
    public abstract Intent getLaunchIntentForPackage(String packageName);
    public abstract PackageInfo getPackageInfo(String packageName, int flags) throws NameNotFoundException;
    public static class NameNotFoundException extends AndroidException {
        public NameNotFoundException() {}
        public NameNotFoundException(String name) {}
    }
}
