package android.app;
public final class NotificationChannel {
    public NotificationChannel(String id, CharSequence name, int importance) {}
    public void setLockscreenVisibility(int lockscreenVisibility) {}
    public int getLockscreenVisibility() { return 0; }
    public void setDescription(String description) {}
    public void setShowBadge(boolean showBadge) {}
}
