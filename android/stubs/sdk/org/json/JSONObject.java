package org.json;
import java.util.Iterator;
public class JSONObject {
    public static final Object NULL = new Object();
    public JSONObject() {}
    public JSONObject(String json) throws JSONException {}
    public JSONObject(JSONObject copyFrom, String[] names) throws JSONException {}
    public Object get(String name) throws JSONException { return null; }
    public Object opt(String name) { return null; }
    public boolean isNull(String name) { return true; }
    public boolean has(String name) { return false; }
    public int optInt(String name) { return 0; }
    public String optString(String name) { return ""; }
    public String getString(String name) throws JSONException { return ""; }
    public int getInt(String name) throws JSONException { return 0; }
    public long getLong(String name) throws JSONException { return 0; }
    public double getDouble(String name) throws JSONException { return 0; }
    public boolean getBoolean(String name) throws JSONException { return false; }
    public JSONObject getJSONObject(String name) throws JSONException { return this; }
    public JSONArray getJSONArray(String name) throws JSONException { return new JSONArray(); }
    public JSONObject put(String name, boolean value) throws JSONException { return this; }
    public JSONObject put(String name, int value) throws JSONException { return this; }
    public JSONObject put(String name, long value) throws JSONException { return this; }
    public JSONObject put(String name, double value) throws JSONException { return this; }
    public JSONObject put(String name, Object value) throws JSONException { return this; }
    public Iterator<String> keys() { return null; }
    public int length() { return 0; }
}
