package com.engarde.signupsync.auth;

import com.engarde.signupsync.manifest.FunctionManifests;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The manifests this process was deployed with: the ones its classpath carries (one in Lambda, all locally). */
@Factory
public class FunctionManifestsFactory {
    @Singleton
    public FunctionManifests functionManifests() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return FunctionManifests.onClasspath(context != null ? context : FunctionManifests.class.getClassLoader());
    }
}
