package com.engarde.signupsync.privacy;

/** A destination could not delete a person now; the message names the cause, never the person or a vendor body. */
public class ContactErasureFailed extends RuntimeException {

    public ContactErasureFailed(String message) {
        super(message);
    }
}
