package id.spse.auth.android;
// The R class AGP generates for the plugin library from its res/ (a
// library's fields are not final).
public final class R {
    public static final class drawable {
        public static int spse_notification = 0;
    }
}
