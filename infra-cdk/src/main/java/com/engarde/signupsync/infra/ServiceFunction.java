package com.engarde.signupsync.infra;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.manifest.SyncBus;
import com.engarde.signupsync.snapstart.LambdaJvm;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One manifest's Lambda: java21 on arm64, SnapStart on published versions, always invoked through its alias
 * {@value #ALIAS}; its own role, its own log group with a retention, and its manifest's sizing and reserved
 * concurrency. Secrets arrive as
 * ARNs in environment variables and are readable by this function only if its manifest lists them.
 */
final class ServiceFunction extends Construct {

    static final String ALIAS = "live";
    static final String TAG = "signup-sync:function";

    /** Lambda's documented minimum for creating and removing its network interfaces; ENIs have no ARN until created. */
    static final List<String> ENI_ACTIONS = List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses");

    private final FunctionManifest manifest;
    private final Function function;
    private final Alias alias;
    private final Role role;
    private final Stage stage;
    private Queue deadLetters;

    /** What every function may be wired to. */
    record Platform(AppSettings settings, Network network, PostgresDatabase database, AppSecrets secrets, IEventBus bus,
                    String metricsNamespace) {
    }

    ServiceFunction(Construct scope, FunctionManifest manifest, Path jar, Platform platform) {
        super(scope, manifest.name());
        this.manifest = manifest;
        this.stage = platform.settings().stage();
        String functionName = "signup-sync-" + stage.id() + "-" + manifest.name();

        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/lambda/" + functionName)
                .retention(stage.logRetention())
                .removalPolicy(stage.retainedRemoval())
                .build();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("signup-sync " + manifest.name() + ": its own logs, its own secrets, nothing else by default")
                .build();
        logs.grantWrite(role);

        Map<String, String> environment = new TreeMap<>();
        environment.put("SIGNUP_SYNC_STAGE", stage.id());
        environment.put("JAVA_TOOL_OPTIONS", LambdaJvm.JAVA_TOOL_OPTIONS);
        environment.put("SIGNUP_SYNC_METRICS_NAMESPACE", platform.metricsNamespace());
        for (SecretName name : manifest.secrets()) {
            platform.secrets().secret(name).grantRead(role);
            environment.put(name.arnVariable(), platform.secrets().secret(name).getSecretArn());
        }
        for (String setting : manifest.settings()) {
            String value = platform.settings().functionSettings().get(setting);
            if (value == null) {
                Annotations.of(this).addWarningV2("signup-sync:settingMissing", manifest.name() + " reads " + setting
                        + ", which this deploy does not set: pass -c " + setting + "=<value>");
            } else {
                environment.put(setting, value);
            }
        }
        for (String setting : manifest.optionalSettings()) {
            String value = platform.settings().functionSettings().get(setting);
            if (value != null) {
                environment.put(setting, value);
            }
        }
        if (manifest.database()) {
            // The schema's owner (db-migrate) logs in as the master user and creates the application role from its
            // secret; every other function logs in as that role and never sees the master secret.
            ISecret login = manifest.databaseOwner() ? platform.database().secret() : platform.database().appSecret();
            login.grantRead(role);
            environment.put(SecretName.DATABASE_ARN_VARIABLE, login.getSecretArn());
            if (manifest.databaseOwner()) {
                platform.database().appSecret().grantRead(role);
                environment.put(SecretName.DATABASE_APP_ARN_VARIABLE, platform.database().appSecret().getSecretArn());
            }
            role.addToPolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(ENI_ACTIONS)
                    .resources(List.of("*"))
                    .build());
            Nag.accept(role, "AwsSolutions-IAM5",
                    "Lambda creates and deletes this function's VPC network interfaces with these EC2 actions, which "
                            + "AWS documents with Resource \"*\" (the interfaces do not exist before they are created).",
                    "Resource::*");
        }
        if (manifest.busPublisher()) {
            platform.bus().grantPutEventsTo(role);
            environment.put(SyncBus.NAME_VARIABLE, platform.bus().getEventBusName());
        }
        if (manifest.routes().stream().anyMatch(r -> r.auth() == RouteAuth.ADMIN_JWT)) {
            // Required by AppSettings.requireAdminJwt before any function is built.
            for (String variable : AppSettings.ADMIN_JWT_REQUIRED) {
                environment.put(variable, platform.settings().functionSettings().get(variable));
            }
        }
        if (!platform.settings().corsOrigins().isEmpty()
                && manifest.routes().stream().anyMatch(r -> r.auth() == RouteAuth.ADMIN_JWT)) {
            environment.put("SIGNUP_SYNC_CORS_ORIGINS", String.join(",", platform.settings().corsOrigins()));
        }

        Function.Builder builder = Function.Builder.create(this, "Function")
                .functionName(functionName)
                .description(manifest.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(manifest.handler())
                .code(Code.fromAsset(jar.toString()))
                .memorySize(manifest.memoryMb())
                // At most this many instances, so at most this many pools of connections (ConnectionBudget).
                .reservedConcurrentExecutions(manifest.reservedConcurrency())
                .timeout(Duration.seconds(manifest.timeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(logs)
                .environment(environment);
        if (manifest.database()) {
            builder.vpc(platform.network().vpc())
                    .vpcSubnets(Network.functionSubnets())
                    .securityGroups(callsOutsideAws(manifest, platform.settings())
                            ? List.of(platform.network().functions(), platform.network().vendorEgress())
                            : List.of(platform.network().functions()));
        }
        function = builder.build();
        // The warning says SnapStart needs a published version: the alias below always points at one.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Every trigger invokes the alias, which points at the current published version");
        Tags.of(function).add(TAG, manifest.name());
        Nag.accept(function, "AwsSolutions-L1",
                "java21 is the runtime this product is built and tested for (bytecode 17, Lambda java21 with SnapStart); "
                        + "moving to a newer Java runtime is a deliberate upgrade, not a template change.");

        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .description("The published SnapStart version that every trigger invokes")
                .build();

        if (manifest.invokedAsynchronously()) {
            // A function error after Lambda's own retries lands here, as does an event EventBridge could not deliver.
            alias.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .onFailure(new SqsDestination(deadLetters()))
                    .retryAttempts(2)
                    .maxEventAge(Duration.hours(6))
                    .build());
        }
    }

    /** A vendor caller, or an admin function fetching the issuer's keys from ADMIN_JWT_JWKS_URL. */
    static boolean callsOutsideAws(FunctionManifest manifest, AppSettings settings) {
        return manifest.egress() || (manifest.routes().stream().anyMatch(r -> r.auth() == RouteAuth.ADMIN_JWT)
                && settings.functionSettings().containsKey(AppSettings.ADMIN_JWT_JWKS_URL));
    }

    FunctionManifest manifest() {
        return manifest;
    }

    Function function() {
        return function;
    }

    Alias alias() {
        return alias;
    }

    Role role() {
        return role;
    }

    /** The function's dead-letter queue, for the events and invocations that failed for good. Async functions only. */
    Queue deadLetters() {
        if (deadLetters == null) {
            deadLetters = Queue.Builder.create(this, "DeadLetters")
                    .retentionPeriod(Duration.days(14))
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .removalPolicy(stage.retainedRemoval())
                    .build();
            Nag.accept(deadLetters, "AwsSolutions-SQS3",
                    "This queue is itself the dead-letter queue (of EventBridge targets and of Lambda's asynchronous "
                            + "invocations); an alarm fires on its first message.");
        }
        return deadLetters;
    }
}
