package com.engarde.signupsync.crypto;

/** No usable SIGNUP_SYNC_ENCRYPTION_KEY: nothing can be sealed. The message says what is wrong, never the value. */
public class EncryptionKeyMissing extends RuntimeException {

    public EncryptionKeyMissing(String message) {
        super(message);
    }
}
