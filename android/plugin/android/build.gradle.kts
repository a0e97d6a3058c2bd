// SPSE Auth's Android glue (the Kotlin half of android/plugin), an Android
// library the app includes through tauri-build's tauri.settings.gradle.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "id.spse.auth.android"
    compileSdk = 36

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }
}

// compilerOptions, not kotlinOptions: the Kotlin Gradle plugin 2.3 refuses
// kotlinOptions (KT-76720); make android-check fails on it.
kotlin {
    compilerOptions {
        jvmTarget = JvmTarget.JVM_1_8
    }
}

dependencies {
    implementation("androidx.appcompat:appcompat:1.7.1")
    // UnifiedPush (Web Push wake-ups through the distributor the user
    // installed): registration, RFC 8291 keys and decryption. Pinned: its
    // API changed within 3.x (make android-check compiles against stubs of it).
    implementation("org.unifiedpush.android:connector:3.3.5")
    // The fallback where no distributor app is installed: the embedded FCM
    // distributor (no Google proprietary code, no Firebase project or
    // google-services.json: it asks Google Play services for a Web Push
    // endpoint bound to each site's VAPID key). Used only when Play services
    // are installed (PushDistributor in Push.kt). Pinned to the 3.0.0 whose
    // source the plugin was written against; its classes are not called, its
    // merged receivers are the distributor.
    implementation("org.unifiedpush.android:embedded-fcm-distributor:3.0.0")
    implementation(project(":tauri-android"))
}
