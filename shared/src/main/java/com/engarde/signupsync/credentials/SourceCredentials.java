package com.engarde.signupsync.credentials;

import java.util.Optional;

/**
 * The one place a connector, a webhook receiver or an admin check asks for a source's credentials, by source
 * type ({@code easyappointments}, {@code zoom}, {@code eventbrite}, {@code poshvip}, {@code brevo}). The answer
 * comes from the first {@link CredentialStore} that has them, in {@code @Order} of the stores: credentials an
 * admin stored (sealed in the database) before the bootstrap values of the environment or Secrets Manager.
 * Values are read at each call, so a rotation needs no restart.
 */
public interface SourceCredentials {

    /** The credentials of a source, or empty when no store has any for it. */
    Optional<Credentials> find(String sourceType);
}
