package android.content;
import android.net.Uri;
public class Intent {
    public static final int FLAG_ACTIVITY_SINGLE_TOP = 0x20000000;
    public static final int FLAG_ACTIVITY_CLEAR_TOP = 0x04000000;
    public static final String ACTION_CREATE_DOCUMENT = "android.intent.action.CREATE_DOCUMENT";
    public static final String CATEGORY_OPENABLE = "android.intent.category.OPENABLE";
    public static final String EXTRA_TITLE = "android.intent.extra.TITLE";
    public Intent() {}
    public Intent(String action) {}
    public Intent(Context packageContext, Class<?> cls) {}
    public Intent addFlags(int flags) { return this; }
    public Intent addCategory(String category) { return this; }
    public String getType() { return null; }
    public Intent setType(String type) { return this; }
    public Intent putExtra(String name, String value) { return this; }
    public Uri getData() { return null; }
}
