package com.engarde.signupsync.infra;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.manifest.FunctionManifest;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Functions with a custom-resource trigger (db-migrate) run during the deploy, through CDK's provider framework,
 * which invokes the function's alias synchronously and answers CloudFormation. The resource's one property is a
 * digest of the files the manifest names, so CloudFormation runs it again exactly when they change; a failure
 * fails (and rolls back) the deploy. Every other function that uses the database is published only after it ran,
 * so new code never meets an old schema.
 */
final class DeployTimeRuns extends Construct {

    private final List<CustomResource> runs = new ArrayList<>();

    DeployTimeRuns(Construct scope, String id, AppSettings settings, List<ServiceFunction> functions) {
        super(scope, id);
        for (ServiceFunction function : functions) {
            for (FunctionManifest.CustomResourceTrigger trigger
                    : function.manifest().triggers(FunctionManifest.CustomResourceTrigger.class)) {
                runs.add(run(settings, function, trigger));
            }
        }
        for (CustomResource run : runs) {
            for (ServiceFunction function : functions) {
                if (function.manifest().database() && function.manifest().triggers(FunctionManifest.CustomResourceTrigger.class).isEmpty()) {
                    function.alias().getNode().addDependency(run);
                }
            }
        }
    }

    private CustomResource run(AppSettings settings, ServiceFunction function, FunctionManifest.CustomResourceTrigger trigger) {
        String name = function.manifest().name();
        Construct scope = new Construct(this, name);
        LogGroup logs = LogGroup.Builder.create(scope, "ProviderLogs")
                .retention(settings.stage().logRetention())
                .removalPolicy(settings.stage().retainedRemoval())
                .build();
        Role role = Role.Builder.create(scope, "ProviderRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("CDK custom-resource provider for " + name + ": invoke it, write its own logs")
                .build();
        logs.grantWrite(role);
        Provider provider = Provider.Builder.create(scope, "Provider")
                .onEventHandler(function.alias())
                .logGroup(logs)
                .frameworkOnEventRole(role)
                .build();

        return CustomResource.Builder.create(scope, "Run")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::" + pascal(name))
                .properties(Map.of("RunWhenChanged", digest(settings.repoRoot(), trigger.runWhenChanged())))
                .build();
    }

    List<CustomResource> runs() {
        return runs;
    }

    /** SHA-256 over the relative names and contents of every file under the given paths, in a stable order. */
    static String digest(Path repoRoot, List<String> paths) {
        try {
            MessageDigest sha = Sha256.incremental();
            for (String relative : paths) {
                Path root = repoRoot.resolve(relative).normalize();
                if (!Files.exists(root)) {
                    throw new IllegalArgumentException("runWhenChanged names " + relative + ", which does not exist under " + repoRoot);
                }
                List<Path> files;
                try (Stream<Path> walk = Files.walk(root)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    sha.update(repoRoot.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(Files.readAllBytes(file));
                    sha.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pascal(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
