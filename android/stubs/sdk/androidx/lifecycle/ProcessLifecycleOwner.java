package androidx.lifecycle;
public class ProcessLifecycleOwner {}
