package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.credentials.CheckHttp;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.TimeBudgetExhausted;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.engarde.signupsync.http.VendorUrlRefused;
import com.engarde.signupsync.signup.InvitationMail;
import com.engarde.signupsync.signup.InvitationNotSent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Invitations through Brevo's transactional API: {@code POST /v3/smtp/email} with the configured template
 * ({@code BREVO_INVITATION_TEMPLATE_ID}) and its params {@code INVITATION_URL} (the link holding the token,
 * {@code SIGNUP_INVITATION_LINK} plus {@code invitation=<token>}), {@code FIRST_NAME}, {@code LAST_NAME} and
 * {@code EXPIRES_AT}; Brevo answers 201 {@code {"messageId": "<...>"}}.
 */
@Singleton
final class BrevoInvitationMail implements InvitationMail {

    private final String base;
    private final String templateId;
    private final String link;
    private final SourceCredentials credentials;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper json;
    private final VendorHttp.Settings settings;

    BrevoInvitationMail(@Value("${brevo.api.url:`https://api.brevo.com/v3/`}") String base,
                        @Value("${brevo.invitation.template.id:}") String templateId,
                        @Value("${signup.invitation.link:}") String link,
                        CheckHttp check, SourceCredentials credentials, Clock clock, ObjectMapper json) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.templateId = templateId.strip();
        this.link = link.strip();
        this.credentials = credentials;
        // Brevo's transactional send is not idempotent: an email whose answer is lost is not sent again, an admin resends.
        this.retry = RetryPolicy.once();
        this.clock = clock;
        this.json = json;
        // An admin is waiting, as for a credential check: the same short timeouts.
        this.settings = check.settings();
    }

    @Override
    public String send(Invitee invitee, String token, Instant expiresAt) {
        if (!templateId.matches("[1-9][0-9]{0,9}")) {
            throw new InvitationNotSent("BREVO_INVITATION_TEMPLATE_ID is not set to a Brevo template id");
        }
        if (!link.startsWith("https://") && !link.startsWith("http://")) {
            throw new InvitationNotSent("SIGNUP_INVITATION_LINK is not set to the signup page's address");
        }
        String key = credentials.find("brevo").flatMap(c -> c.field("api_key"))
                .orElseThrow(() -> new InvitationNotSent("Brevo has no API key (BREVO_API_KEY or stored credentials)"));
        ObjectNode body = json.createObjectNode();
        ObjectNode to = body.putArray("to").addObject().put("email", invitee.email());
        String name = String.join(" ", java.util.stream.Stream.of(invitee.firstName(), invitee.lastName())
                .filter(n -> n != null && !n.isBlank()).toList());
        if (!name.isEmpty()) {
            to.put("name", name);
        }
        body.put("templateId", Long.parseLong(templateId));
        ObjectNode params = body.putObject("params");
        params.put("INVITATION_URL", link + (link.contains("?") ? "&" : "?") + "invitation="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        params.put("FIRST_NAME", invitee.firstName());
        params.put("LAST_NAME", invitee.lastName());
        params.put("EXPIRES_AT", expiresAt.toString());
        VendorHttp http = new VendorHttp("Brevo", VendorAuth.header("api-key", key), settings, retry, clock,
                answer -> VendorHttp.jsonMessage(json, answer, "message"), BrevoErrors.reading(json));
        try {
            byte[] answer = http.post(VendorHttp.requireSafeBase(URI.create(base)).resolve("smtp/email"),
                    json.writeValueAsBytes(body), TimeBudget.of(clock.instant(),
                            settings.connectTimeout().plus(settings.requestTimeout()), Duration.ZERO));
            JsonNode sent = json.readTree(answer);
            return sent == null ? null : sent.path("messageId").asText(null);
        } catch (VendorException e) {
            // Brevo's own message may quote the address: only the status and code are kept.
            throw new InvitationNotSent("Brevo refused the email: " + e.status()
                    + (e.code() == null ? "" : " " + e.code()));
        } catch (TimeBudgetExhausted | VendorUrlRefused e) {
            throw new InvitationNotSent("Brevo could not be reached in time");
        } catch (IOException e) {
            throw new InvitationNotSent("Brevo answered with a body that is not JSON");
        }
    }
}
