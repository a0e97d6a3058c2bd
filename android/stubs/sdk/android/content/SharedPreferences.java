package android.content;
import java.util.Map;
import java.util.Set;
public interface SharedPreferences {
    public interface Editor {
        Editor putString(String key, String value);
        Editor putStringSet(String key, Set<String> values);
        Editor remove(String key);
        boolean commit();
        void apply();
    }
    Map<String, ?> getAll();
    String getString(String key, String defValue);
    Set<String> getStringSet(String key, Set<String> defValues);
    Editor edit();
}
