package com.engarde.signupsync.signup;

import java.time.Instant;

/**
 * Sends a person their invitation (the token in a link); the email vendor implements it. The domain knows no
 * vendor: a failure is {@link InvitationNotSent}, in words safe to store and show.
 */
public interface InvitationMail {

    /** Who is invited, as the email greets them. */
    record Invitee(String email, String firstName, String lastName) {
    }

    /** Sends the invitation; answers the vendor's message id. */
    String send(Invitee invitee, String token, Instant expiresAt);
}
