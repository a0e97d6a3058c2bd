package android.app;
import android.content.Context;
public class Notification {
    public static final String CATEGORY_MESSAGE = "msg";
    public static final String CATEGORY_SERVICE = "service";
    public static final int VISIBILITY_PRIVATE = 0;
    @Deprecated public static final int PRIORITY_HIGH = 1;
    @Deprecated public static final int PRIORITY_LOW = -1;
    @Deprecated public static final int DEFAULT_ALL = ~0;
    public static class Builder {
        public Builder(Context context, String channelId) {}
        @Deprecated public Builder(Context context) {}
        public Builder setSmallIcon(int icon) { return this; }
        public Builder setContentTitle(CharSequence title) { return this; }
        public Builder setContentText(CharSequence text) { return this; }
        public Builder setContentIntent(PendingIntent intent) { return this; }
        public Builder setCategory(String category) { return this; }
        public Builder setVisibility(int visibility) { return this; }
        public Builder setPublicVersion(Notification n) { return this; }
        public Builder setShowWhen(boolean show) { return this; }
        public Builder setAutoCancel(boolean autoCancel) { return this; }
        public Builder setOngoing(boolean ongoing) { return this; }
        public Builder setTimeoutAfter(long durationMs) { return this; }
        @Deprecated public Builder setPriority(int pri) { return this; }
        @Deprecated public Builder setDefaults(int defaults) { return this; }
        public Notification build() { return new Notification(); }
    }
}
