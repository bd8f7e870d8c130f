package com.engarde.signupsync.local;

import com.engarde.signupsync.api.SyncController;
import com.engarde.signupsync.functions.adminplatform.AdminPlatformController;
import com.engarde.signupsync.functions.adminplatform.PeopleController;
import com.engarde.signupsync.functions.admineasyappointments.EasyAppointmentsAdminController;
import com.engarde.signupsync.functions.admineasyappointments.BookersController;
import com.engarde.signupsync.functions.admineasyappointments.SignupQueueController;
import com.engarde.signupsync.functions.funnelevents.InvitationsController;
import com.engarde.signupsync.functions.adminplatformbrands.PlatformBrandsController;
import com.engarde.signupsync.functions.adminplatformusage.PlatformUsageController;
import com.engarde.signupsync.functions.adminsources.AdminSourcesController;
import com.engarde.signupsync.functions.adminsources.IntegrationRegistryController;
import com.engarde.signupsync.functions.funnelanalytics.FunnelAnalyticsController;
import com.engarde.signupsync.functions.funnelanalytics.ServiceController;
import com.engarde.signupsync.functions.funnelanalytics.SyncStatusController;
import com.engarde.signupsync.functions.funnelevents.FunnelEventsController;
import com.engarde.signupsync.functions.syncdispatch.SyncAllController;
import com.engarde.signupsync.functions.syncposhvip.PoshDeliveriesController;
import com.engarde.signupsync.functions.usageingest.UsageMetricsController;
import com.engarde.signupsync.functions.usagerollup.UsageRollupController;
import com.engarde.signupsync.functions.webhookposhvip.PoshWebhookController;
import com.engarde.signupsync.functions.syncbrevo.EmailListController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;

/**
 * The API's contract: micronaut-openapi reads this class while the local module compiles and writes one
 * OpenAPI document for every function's controllers ({@code META-INF/swagger/signup-sync.json}) and its Swagger
 * UI page, which the local run serves ({@link ApiDocs}). Each controller describes its own routes; the
 * manifests decide which function serves them, and {@code ApiContractTest} fails when the document and the
 * manifests disagree on a route.
 */
@OpenAPIDefinition(
        info = @Info(title = "signup-sync", version = "1",
                description = "En Garde's marketing funnel in one PostgreSQL database: events, conversions, syncs,"
                        + " the Posh.VIP webhook, funnel analytics, platform usage and the admin API. Every error"
                        + " answer is {\"error\", \"message\", \"field\"}; bad input is a 4xx naming the field,"
                        + " never a 500. A query parameter a route does not know is ignored; an empty or repeated one is refused. In AWS every route may also answer 429 when API Gateway throttles it"
                        + " (body {\"message\": \"Too Many Requests\"})."),
        servers = {@Server(url = "http://127.0.0.1:8080", description = "this local run (./run-local serves its own address here)"),
                   @Server(url = "https://{api}/{stage}", description = "a deployed stage (the stack's ApiUrl output)",
                           variables = {
                                   @io.swagger.v3.oas.annotations.servers.ServerVariable(name = "api",
                                           defaultValue = "abc123.execute-api.eu-west-1.amazonaws.com"),
                                   @io.swagger.v3.oas.annotations.servers.ServerVariable(name = "stage",
                                           defaultValue = "prod", allowableValues = {"dev", "prod"})})})
@OpenAPIInclude(classes = {
        FunnelEventsController.class, ServiceController.class, SyncStatusController.class,
        FunnelAnalyticsController.class, SyncAllController.class, SyncController.class, PoshDeliveriesController.class,
        PoshWebhookController.class, AdminSourcesController.class, IntegrationRegistryController.class, AdminPlatformController.class, PeopleController.class,
        PlatformBrandsController.class, PlatformUsageController.class, UsageMetricsController.class,
        UsageRollupController.class, EasyAppointmentsAdminController.class,
        SignupQueueController.class, BookersController.class, InvitationsController.class, EmailListController.class})
@SecurityScheme(name = ApiContract.SERVICE_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "SIGNUP_SYNC_SERVICE_TOKEN (or, during a rotation, SIGNUP_SYNC_SERVICE_TOKEN_PREVIOUS), which"
                + " holds every scope, or a scoped token of SIGNUP_SYNC_SCOPED_TOKENS holding the operation's scope"
                + " (funnel:write, analytics:read, sync:run, usage:write); a known token without it answers 403.")
@SecurityScheme(name = ApiContract.ADMIN_JWT, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A JWT issued by the En Garde backend: RS256/ES256 from ADMIN_JWT_JWKS_URL (https) or HS256"
                + " with ADMIN_JWT_SECRET; iat and exp required, living at most 12 hours (SIGNUP_SYNC_ADMIN_JWT_MAX_LIFETIME);"
                + " iss and aud required in AWS, checked when configured locally. A superuser has"
                + " \"is_superuser\": true; a platform admin is a row of platform_admins, designated by sub or by an"
                + " email the token marks email_verified. Never the service token.")
@SecurityScheme(name = ApiContract.POSH_SECRET, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "Posh-Secret", description = "What Posh.VIP sends: the shared secret POSHVIP_WEBHOOK_SECRET"
                + " (or its _PREVIOUS), compared in constant time.")
@SecurityScheme(name = ApiContract.POSH_SIGNATURE, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-Posh-Signature", description = "HMAC-SHA256 of the raw body under the shared secret,"
                + " hex or base64.")
@SecurityScheme(name = ApiContract.STANDARD_WEBHOOKS, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "webhook-signature", description = "Standard Webhooks: webhook-id, webhook-timestamp (within"
                + " 5 minutes) and webhook-signature (v1,<base64 HMAC-SHA256 of id.timestamp.body>) under a"
                + " whsec_ secret.")
final class ApiContract {

    static final String SERVICE_TOKEN = "service-token";
    static final String ADMIN_JWT = "admin-jwt";
    static final String POSH_SECRET = "posh-secret";
    static final String POSH_SIGNATURE = "posh-signature";
    static final String STANDARD_WEBHOOKS = "standard-webhooks";

    private ApiContract() {
    }
}
