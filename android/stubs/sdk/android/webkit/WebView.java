package android.webkit;
public class WebView extends android.view.View {
    public static void setWebContentsDebuggingEnabled(boolean enabled) {}
}
