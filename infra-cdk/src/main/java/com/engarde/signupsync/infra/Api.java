package com.engarde.signupsync.infra;

import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.manifest.RouteAuth;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.CorsOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodDeploymentOptions;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST API: every route of every manifest as a method with Lambda proxy integration to its function's alias.
 * API Gateway does no authentication: each function enforces its manifest's auth itself (service token, webhook
 * signature, admin JWT), so the manifest stays the single source of truth. The stage has access logs, error
 * execution logs without bodies, and throttling: the stage's limit for every method, and a lower one of their own
 * for the open routes. CORS is answered only when origins are configured, and only on
 * the admin (browser) routes.
 */
final class Api extends Construct {

    private final RestApi api;
    private final Map<String, IResource> resources = new HashMap<>();

    Api(Construct scope, String id, AppSettings settings, List<ServiceFunction> functions) {
        super(scope, id);
        Stage stage = settings.stage();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(stage.logRetention())
                .removalPolicy(stage.retainedRemoval())
                .build();
        api = RestApi.Builder.create(this, "RestApi")
                .restApiName("signup-sync-" + stage.id())
                .description("signup-sync " + stage.id() + ": funnel events, analytics, syncs, webhooks, admin")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(settings.apiGatewayAccountRole())
                .cloudWatchRoleRemovalPolicy(RemovalPolicy.RETAIN)
                .deployOptions(StageOptions.builder()
                        .stageName(stage.id())
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields(JsonWithStandardFieldProps.builder()
                                .caller(false).user(false).httpMethod(true).ip(true).protocol(true).requestTime(true)
                                .resourcePath(true).responseLength(true).status(true).build()))
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        // Bodies carry personal data and webhook secrets: never logged by API Gateway.
                        .dataTraceEnabled(false)
                        .metricsEnabled(true)
                        .throttlingRateLimit(stage.apiRatePerSecond())
                        .throttlingBurstLimit(stage.apiBurst())
                        .methodOptions(openRouteThrottling(stage, functions))
                        .build())
                .build();

        Map<IResource, Set<String>> browserMethods = new LinkedHashMap<>();
        for (ServiceFunction function : functions) {
            LambdaIntegration integration = new LambdaIntegration(function.alias(),
                    LambdaIntegrationOptions.builder().proxy(true).allowTestInvoke(false).build());
            for (FunctionManifest.Route route : function.manifest().routes()) {
                IResource resource = resource(route.path());
                resource.addMethod(route.method(), integration, MethodOptions.builder()
                        .authorizationType(AuthorizationType.NONE)
                        .build());
                if (route.auth() == RouteAuth.ADMIN_JWT) {
                    browserMethods.computeIfAbsent(resource, r -> new LinkedHashSet<>()).add(route.method());
                }
                if (route.auth() == RouteAuth.WEBHOOK_SIGNATURE) {
                    CfnOutput.Builder.create(this, "WebhookUrl-" + function.manifest().name() + route.path().replaceAll("[^A-Za-z0-9]", "-"))
                            .description("Give this URL to the vendor: " + route.method() + " " + route.path()
                                    + " (" + function.manifest().name() + ")")
                            .value(api.urlForPath(route.path()))
                            .build();
                }
            }
        }
        if (!settings.corsOrigins().isEmpty()) {
            browserMethods.forEach((resource, methods) -> resource.addCorsPreflight(CorsOptions.builder()
                    .allowOrigins(settings.corsOrigins())
                    .allowMethods(new ArrayList<>(methods))
                    .allowHeaders(List.of("Authorization", "Content-Type"))
                    .maxAge(Duration.hours(1))
                    .build()));
        }

        CfnOutput.Builder.create(this, "Url").description("The API's base URL (stage included)").value(api.getUrl()).build();

        Nag.accept(api, "AwsSolutions-APIG4",
                "Authorization is enforced by each function from its manifest (service token, webhook signature, "
                        + "admin JWT), before any handler runs; an API Gateway authorizer would duplicate it in a "
                        + "second place that could drift from the manifest. CORS preflights carry no credentials.");
        Nag.accept(api, "AwsSolutions-COG4",
                "No Cognito user pool: callers are the En Garde backend (service token), vendors (webhook "
                        + "signature) and platform admins (JWT issued by En Garde), all checked in the functions.");
        Nag.accept(api, "AwsSolutions-APIG2",
                "Bodies are validated by the functions, which answer with the project's field-level error body "
                        + "({\"error\",\"message\",\"field\"}); API Gateway's validator would answer in another shape.");
        Nag.accept(api, "AwsSolutions-APIG3",
                "No WAF: every route but /health and / requires a token or signature checked in constant time, and "
                        + "the stage throttles; a web ACL (and its monthly cost) is for when the admin frontend is public.");
        if (settings.apiGatewayAccountRole()) {
            Nag.accept(api, "AwsSolutions-IAM4",
                    "API Gateway's account-wide CloudWatch Logs role uses AWS's managed policy "
                            + "AmazonAPIGatewayPushToCloudWatchLogs, the policy AWS documents for that role.",
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        }
    }

    /**
     * Routes anyone can call without a token (auth none, or a webhook whose signature only the function checks)
     * get their own, lower, method-level limit: a flood on them is answered 429 by API Gateway before it reaches a
     * function or the database, and leaves every other method its own stage limit.
     */
    static Map<String, MethodDeploymentOptions> openRouteThrottling(Stage stage, List<ServiceFunction> functions) {
        Map<String, MethodDeploymentOptions> options = new LinkedHashMap<>();
        for (ServiceFunction function : functions) {
            for (FunctionManifest.Route route : function.manifest().routes()) {
                if (open(route)) {
                    // CDK's key: the resource path, then the method ("//GET" for the root).
                    options.put(route.path() + "/" + route.method(), MethodDeploymentOptions.builder()
                            .throttlingRateLimit(stage.openRouteRatePerSecond())
                            .throttlingBurstLimit(stage.openRouteBurst())
                            .build());
                }
            }
        }
        return options;
    }

    static boolean open(FunctionManifest.Route route) {
        return route.auth() == RouteAuth.NONE || route.auth() == RouteAuth.WEBHOOK_SIGNATURE;
    }

    RestApi restApi() {
        return api;
    }

    /**
     * The resource for a path, created part by part. API Gateway allows one variable part among siblings, so
     * /a/{id} and /a/{key} from two manifests are refused here rather than by CloudFormation mid-deploy.
     */
    private IResource resource(String path) {
        IResource current = api.getRoot();
        StringBuilder sofar = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            String parent = sofar.toString();
            sofar.append('/').append(part);
            IResource existing = resources.get(sofar.toString());
            if (existing == null) {
                if (part.startsWith("{")) {
                    for (String known : resources.keySet()) {
                        if (known.startsWith(parent + "/{") && known.indexOf('/', parent.length() + 1) < 0) {
                            throw new IllegalArgumentException("routes " + known + " and " + sofar
                                    + " need two variables at one level; API Gateway allows one: use the same name");
                        }
                    }
                }
                existing = current.addResource(part);
                resources.put(sofar.toString(), existing);
            }
            current = existing;
        }
        return current;
    }
}
