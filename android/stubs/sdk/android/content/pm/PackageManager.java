package android.content.pm;
import android.content.Intent;
public abstract class PackageManager {
    public static final int PERMISSION_GRANTED = 0;
    public static final int PERMISSION_DENIED = -1;
    public static final String FEATURE_CAMERA_ANY = "android.hardware.camera.any";
    public abstract boolean hasSystemFeature(String name);
    public abstract Intent getLaunchIntentForPackage(String packageName);
}
