package android.view;
public class View {
    public void setPadding(int left, int top, int right, int bottom) {}
    public boolean getFilterTouchesWhenObscured() { return false; }
    public void setFilterTouchesWhenObscured(boolean enabled) {}
}
