package android.database;
public interface Cursor extends java.io.Closeable {
    boolean moveToFirst();
    boolean isNull(int columnIndex);
    String getString(int columnIndex);
    void close();
}
