package android.content;
public class ClipboardManager {
    public void setPrimaryClip(ClipData clip) {}
    public ClipDescription getPrimaryClipDescription() { return null; }
    public void clearPrimaryClip() {}
}
