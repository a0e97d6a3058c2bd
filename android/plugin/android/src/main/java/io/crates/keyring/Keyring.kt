package io.crates.keyring

import android.content.Context

/**
 * The JNI entry point of the android-native-keyring-store crate (compiled
 * into the app's own library): `initializeNdkContext` hands it the
 * application context, which it keeps for ndk-context. Package and names
 * are fixed by the crate's exported symbol
 * `Java_io_crates_keyring_Keyring_00024Companion_initializeNdkContext`.
 */
class Keyring {
    companion object {
        external fun initializeNdkContext(context: Context)
    }
}
