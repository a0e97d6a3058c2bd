package android.view;
public class Window {
    public void addFlags(int flags) {}
    public void clearFlags(int flags) {}
    public void setFlags(int flags, int mask) {}
    public void setHideOverlayWindows(boolean hide) {}
}
