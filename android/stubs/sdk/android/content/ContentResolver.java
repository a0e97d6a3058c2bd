package android.content;
import android.database.Cursor;
import android.net.Uri;
public abstract class ContentResolver {
    public final java.io.OutputStream openOutputStream(Uri uri, String mode) throws java.io.FileNotFoundException { return null; }
    public final Cursor query(Uri uri, String[] projection, String selection, String[] selectionArgs, String sortOrder) { return null; }
}
