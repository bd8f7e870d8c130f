package com.engarde.signupsync.privacy;

/**
 * A destination that holds people (Brevo's contacts): an erasure deletes the person there too. A vendor package
 * implements it; a failure is a {@link ContactErasureFailed}, which leaves the erasure running and retryable.
 */
public interface ContactErasure {

    /** The step's name in an erasure's progress ({@code destination.<name>}). */
    String destination();

    /** Deletes the person (an email's normal form); a person the destination never held is done too. */
    void erase(String email);
}
