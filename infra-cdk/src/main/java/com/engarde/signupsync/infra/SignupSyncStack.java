package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.FunctionManifest;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/** Everything signup-sync runs on, for one stage, built from the function manifests. */
public class SignupSyncStack extends Stack {

    public SignupSyncStack(Construct scope, String id, StackProps props, AppSettings given,
                           List<FunctionManifest> manifests, FunctionJars jars) {
        super(scope, id, props);
        AppSettings settings = given.withDeployedSyncs(manifests);
        Stage stage = settings.stage();
        ConnectionBudget.of(stage, manifests).check();
        settings.requireAdminJwt(manifests);
        Tags.of(this).add("project", "signup-sync");
        Tags.of(this).add("stage", stage.id());

        Network network = new Network(this, "Network", stage);
        PostgresDatabase database = new PostgresDatabase(this, "Database", stage, network);
        AppSecrets secrets = new AppSecrets(this, "Secrets", stage, manifests);
        Triggers triggers = new Triggers(this, "Events", stage);
        Alarms alarms = new Alarms(this, "Alarms", settings);

        ServiceFunction.Platform platform = new ServiceFunction.Platform(settings, network, database, secrets,
                triggers.bus(), Alarms.metricsNamespace(stage));
        Construct functionsScope = new Construct(this, "Functions");
        List<ServiceFunction> functions = new ArrayList<>();
        for (FunctionManifest manifest : manifests) {
            functions.add(new ServiceFunction(functionsScope, manifest, jars.jar(manifest), platform));
        }

        new Api(this, "Api", settings, functions);
        triggers.wire(settings, functions);
        DeployTimeRuns deployTime = new DeployTimeRuns(this, "DeployTime", settings, functions);
        deployTime.runs().forEach(run -> database.appRotation().getNode().addDependency(run));

        functions.forEach(alarms::watchFunction);
        alarms.watchDatabase(database, stage);
        if (functions.stream().anyMatch(f -> f.manifest().name().equals("usage-rollup")
                && f.manifest().triggers(FunctionManifest.ScheduleTrigger.class).stream().anyMatch(t -> t.time().isPresent()))) {
            alarms.watchUsageRollup(stage);
        }
        // A webhook receiver's function is named webhook-<source> (its refusals are counted under that source).
        functions.stream().map(f -> f.manifest())
                .filter(m -> m.name().startsWith("webhook-") && m.routes().stream()
                        .anyMatch(r -> r.auth() == com.engarde.signupsync.manifest.RouteAuth.WEBHOOK_SIGNATURE))
                .forEach(m -> alarms.watchWebhookConfiguration(m.name().substring("webhook-".length()), stage));
        if (settings.syncEnabled()) {
            functions.stream()
                    .flatMap(f -> f.manifest().triggers(FunctionManifest.BusTrigger.class).stream())
                    .map(FunctionManifest.BusTrigger::source)
                    .distinct()
                    .forEach(source -> alarms.watchSyncFreshness(source, stage));
        }
    }
}
