package com.engarde.signupsync.sources.acme;

import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.testing.FakeSyncSource;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Instant;

/** The test vendor's connector (records held in memory) and its verify check. */
@Factory
public class AcmeConnector {

    public static final int ITEMS = 7;
    /** The only key the test vendor accepts. */
    public static final String API_KEY = "acme_live_7Qm2Vx9Lp4Rt8Zk3Wn6Yb1Hd";

    @Singleton
    FakeSyncSource acme() {
        return new FakeSyncSource(AcmeIntegration.TYPE, 5).items(ITEMS, Instant.parse("2026-06-01T10:00:00Z"));
    }

    @Singleton
    CredentialCheck acmeCheck() {
        return new CredentialCheck() {
            @Override
            public String sourceType() {
                return AcmeIntegration.TYPE;
            }

            @Override
            public void check(Credentials credentials, TimeBudget budget) {
                if (!API_KEY.equals(credentials.field("api_key").orElse(null))) {
                    throw new VendorException("Acme", 401, "the API key was refused", null);
                }
            }
        };
    }
}
