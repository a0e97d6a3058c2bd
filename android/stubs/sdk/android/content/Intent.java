package android.content;
public class Intent {
    public static final int FLAG_ACTIVITY_SINGLE_TOP = 0x20000000;
    public static final int FLAG_ACTIVITY_CLEAR_TOP = 0x04000000;
    public Intent() {}
    public Intent(Context packageContext, Class<?> cls) {}
    public Intent addFlags(int flags) { return this; }
}
