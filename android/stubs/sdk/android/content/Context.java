package android.content;
public abstract class Context {
    public abstract Context getApplicationContext();
}
