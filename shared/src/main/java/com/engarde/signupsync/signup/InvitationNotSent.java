package com.engarde.signupsync.signup;

/** The invitation email could not be sent; the message names why, with no address, token or secret in it. */
public class InvitationNotSent extends RuntimeException {

    public InvitationNotSent(String message) {
        super(message);
    }
}
