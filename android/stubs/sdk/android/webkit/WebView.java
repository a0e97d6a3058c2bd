package android.webkit;
public class WebView {
    public static void setWebContentsDebuggingEnabled(boolean enabled) {}
}
