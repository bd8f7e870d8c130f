package com.engarde.signupsync.crypto;

/**
 * A sealed value did not open: sealed for another context (a row copied to another source), under a key that
 * is neither the current nor the previous one, or altered. The message names the context and key version only.
 */
public class SealBroken extends RuntimeException {

    public SealBroken(String message) {
        super(message);
    }
}
