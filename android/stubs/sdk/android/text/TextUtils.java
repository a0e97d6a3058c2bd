package android.text;
public class TextUtils {
    public static String join(CharSequence delimiter, Object[] tokens) { return ""; }
    public static String join(CharSequence delimiter, Iterable tokens) { return ""; }
}
