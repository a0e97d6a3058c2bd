package org.unifiedpush.android.connector

// The connector's Constants.kt, the one constant the stubs use.
const val INSTANCE_DEFAULT = "default"
