package android.app;
import android.content.ContextWrapper;
import android.content.Intent;
import android.os.IBinder;
public abstract class Service extends ContextWrapper {
    public Service() { super(null); }
    public void onCreate() {}
    public void onDestroy() {}
    public abstract IBinder onBind(Intent intent);
}
