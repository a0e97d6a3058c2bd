package androidx.core.view;
import androidx.core.graphics.Insets;
public class WindowInsetsCompat {
    public static final WindowInsetsCompat CONSUMED = new WindowInsetsCompat();
    public Insets getInsets(int typeMask) { return new Insets(); }
    public static final class Type {
        public static int systemBars() { return 519; }
        public static int displayCutout() { return 128; }
        public static int ime() { return 8; }
    }
}
