package android.provider;
import android.content.ContentResolver;
import android.net.Uri;
public final class DocumentsContract {
    public static boolean deleteDocument(ContentResolver content, Uri documentUri) throws java.io.FileNotFoundException { return false; }
}
