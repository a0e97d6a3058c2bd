package android.content;
import android.os.PersistableBundle;
public class ClipDescription {
    public static final String EXTRA_IS_SENSITIVE = "android.content.extra.IS_SENSITIVE";
    public CharSequence getLabel() { return null; }
    public void setExtras(PersistableBundle extras) {}
    public PersistableBundle getExtras() { return null; }
}
