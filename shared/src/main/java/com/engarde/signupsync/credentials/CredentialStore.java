package com.engarde.signupsync.credentials;

import java.util.Optional;

/**
 * One place credentials may come from. Each store is a bean; {@link SourceCredentials} asks them in their
 * {@code @Order} (lowest first) and takes the first answer, so a new store plugs in without touching a connector.
 */
public interface CredentialStore {

    /** What this store reports as the origin of what it answers. */
    CredentialOrigin origin();

    Optional<Credentials> find(String sourceType);
}
