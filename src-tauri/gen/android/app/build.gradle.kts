import java.util.Properties
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("rust")
}

val tauriProperties = Properties().apply {
    val propFile = file("tauri.properties")
    if (propFile.exists()) {
        propFile.inputStream().use { load(it) }
    }
}

// A training build (docs/android.md) may reach an http:// training server on
// a LAN (the SPSE sandbox); every other release build forbids cleartext.
// Set with -PspseTrainingCleartext=true or ORG_GRADLE_PROJECT_spseTrainingCleartext=true.
val trainingCleartext = (findProperty("spseTrainingCleartext") as String?) == "true"

// Every CI build gets a new, higher versionCode (Android refuses to update an
// app to an equal or lower one): the workflow passes its run number as
// -PspseVersionCode (ORG_GRADLE_PROJECT_spseVersionCode), and a tag v1.2.3 as
// -PspseVersionName. A local build keeps the Tauri CLI's values.
val versionCodeOverride = (findProperty("spseVersionCode") as String?)?.toInt()
val versionNameOverride = findProperty("spseVersionName") as String?

// Release signing from keystore.properties (git-ignored; written by the CI
// workflow from the repository's secrets, or by hand: docs/android.md).
// Without it the release APK is unsigned.
val keystoreProperties = Properties().apply {
    val propFile = rootProject.file("keystore.properties")
    if (propFile.exists()) {
        propFile.inputStream().use { load(it) }
    }
}

android {
    compileSdk = 37
    // AGP 9.3's default NDK, named so the workflow installs the same one:
    // r28+ links 16 KB-aligned libraries (Android 15+ 16 KB-page phones).
    ndkVersion = "28.2.13676358"
    namespace = "id.spse.auth"
    defaultConfig {
        manifestPlaceholders["usesCleartextTraffic"] = if (trainingCleartext) "true" else "false"
        applicationId = "id.spse.auth"
        minSdk = 24
        targetSdk = 37
        versionCode = versionCodeOverride
            ?: tauriProperties.getProperty("tauri.android.versionCode", "1").toInt()
        versionName = versionNameOverride
            ?: tauriProperties.getProperty("tauri.android.versionName", "1.0")
    }
    signingConfigs {
        if (keystoreProperties.containsKey("storeFile")) {
            create("release") {
                storeFile = file(keystoreProperties.getProperty("storeFile"))
                storePassword = keystoreProperties.getProperty("storePassword")
                keyAlias = keystoreProperties.getProperty("keyAlias")
                keyPassword = keystoreProperties.getProperty("keyPassword")
            }
        }
    }
    buildTypes {
        getByName("debug") {
            manifestPlaceholders["usesCleartextTraffic"] = "true"
            isDebuggable = true
            isJniDebuggable = true
            isMinifyEnabled = false
            packaging {
                jniLibs.keepDebugSymbols.add("*/arm64-v8a/*.so")
                jniLibs.keepDebugSymbols.add("*/armeabi-v7a/*.so")
                jniLibs.keepDebugSymbols.add("*/x86/*.so")
                jniLibs.keepDebugSymbols.add("*/x86_64/*.so")
            }
        }
        getByName("release") {
            isDebuggable = false
            if (trainingCleartext) {
                versionNameSuffix = "-training"
            }
            signingConfigs.findByName("release")?.let { signingConfig = it }
            optimization {
               enable = true
            }
            proguardFiles(
                *fileTree(".") {
                  include("**/*.pro")
                  exclude("build/**")
                }.files.toTypedArray()
            )
        }
    }
    // The local network permission (src/training/AndroidManifest.xml) is
    // merged into debug and training builds only.
    sourceSets {
        getByName("debug").manifest.srcFile("src/training/AndroidManifest.xml")
        if (trainingCleartext) {
            getByName("release").manifest.srcFile("src/training/AndroidManifest.xml")
        }
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }
    buildFeatures {
        buildConfig = true
    }
}

kotlin {
    compilerOptions {
        jvmTarget = JvmTarget.JVM_1_8
    }
}

rust {
    rootDirRel = "../../../"
}

dependencies {
    implementation("androidx.webkit:webkit:1.14.0")
    implementation("androidx.appcompat:appcompat:1.7.1")
    implementation("androidx.activity:activity-ktx:1.10.1")
    implementation("com.google.android.material:material:1.12.0")
    implementation("androidx.lifecycle:lifecycle-process:2.10.0")
    testImplementation("junit:junit:4.13.2")
    androidTestImplementation("androidx.test.ext:junit:1.1.4")
    androidTestImplementation("androidx.test.espresso:espresso-core:3.5.0")
}

apply(from = file("tauri.build.gradle.kts"))
