package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.FunctionManifest;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a function's deployable jar is. The app's answer is the Maven build's; tests may give placeholders. */
@FunctionalInterface
public interface FunctionJars {

    Path jar(FunctionManifest manifest);

    /** {@code functions/<name>/target/<name>-lambda.jar}, which {@code mvn package} builds; an error if it is missing. */
    static FunctionJars built(Path repoRoot) {
        return manifest -> {
            Path jar = builtJar(repoRoot, manifest);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " does not exist: build the functions first (mvn -DskipTests package)");
            }
            return jar;
        };
    }

    static Path builtJar(Path repoRoot, FunctionManifest manifest) {
        return repoRoot.resolve("functions").resolve(manifest.name()).resolve("target").resolve(manifest.name() + "-lambda.jar");
    }
}
