package com.engarde.signupsync.credentials;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/** Asks every {@link CredentialStore} bean in {@code @Order} and answers with the first that has the source. */
@Singleton
final class OrderedSourceCredentials implements SourceCredentials {

    private final List<CredentialStore> stores;

    OrderedSourceCredentials(List<CredentialStore> stores) {
        this.stores = List.copyOf(stores);
    }

    @Override
    public Optional<Credentials> find(String sourceType) {
        for (CredentialStore store : stores) {
            Optional<Credentials> found = store.find(sourceType);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
