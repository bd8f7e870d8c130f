package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.FunctionManifest;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

import java.util.List;

/**
 * The CDK app that cdk.json runs: {@code signup-sync-<stage>}, one stack, checked by cdk-nag's AWS Solutions
 * rules (a finding without a written suppression fails the synth). Context values: see {@link AppSettings}.
 */
public final class SignupSyncApp {

    private SignupSyncApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        AppSettings settings = AppSettings.from(app.getNode());
        stack(app, settings, FunctionJars.built(settings.repoRoot()));
        app.synth();
    }

    /** The stage's stack from the manifests under {@code <repoRoot>/functions}, with cdk-nag on the app. */
    public static SignupSyncStack stack(App app, AppSettings settings, FunctionJars jars) {
        List<FunctionManifest> manifests = FunctionManifest.readAll(settings.repoRoot().resolve("functions"));
        SignupSyncStack stack = new SignupSyncStack(app, "signup-sync-" + settings.stage().id(), StackProps.builder()
                .env(Environment.builder()
                        .account(blankToNull(System.getenv("CDK_DEFAULT_ACCOUNT")))
                        .region(blankToNull(System.getenv("CDK_DEFAULT_REGION")))
                        .build())
                .description("signup-sync " + settings.stage().id() + ": funnel data collection (functions, API, database, events)")
                .terminationProtection(settings.stage().keepData())
                .build(), settings, manifests, jars);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }

    /** The CLI sets these when it has credentials; without them the stack is environment-agnostic. */
    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
