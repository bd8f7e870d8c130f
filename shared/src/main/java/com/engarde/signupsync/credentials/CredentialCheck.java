package com.engarde.signupsync.credentials;

import com.engarde.signupsync.bus.TimeBudget;

/**
 * One cheap real call to a source's vendor with a set of credentials, through the shared vendor HTTP policy,
 * to tell an admin whether they work. One bean per source that has an API to call.
 */
public interface CredentialCheck {

    String sourceType();

    /**
     * Returns when the vendor accepted the credentials; throws the vendor error ({@code VendorException}, whose
     * message never carries a credential) or {@link MissingCredential} otherwise.
     */
    void check(Credentials credentials, TimeBudget budget);
}
