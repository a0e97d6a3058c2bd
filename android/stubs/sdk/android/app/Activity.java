package android.app;
import android.content.Context;
import android.content.Intent;
import android.content.res.Configuration;
import android.os.Bundle;
import android.view.Window;
public class Activity extends Context {
    public Context getApplicationContext() { return this; }
    public Window getWindow() { return new Window(); }
    public final void runOnUiThread(Runnable action) {}
    protected void onCreate(Bundle savedInstanceState) {}
    protected void onNewIntent(Intent intent) {}
    protected void onRestart() {}
    protected void onDestroy() {}
    public void onConfigurationChanged(Configuration newConfig) {}
}
