package com.engarde.signupsync.sources.poshvip;

/** A delivery that authenticated but cannot be mapped: it is stored as failed with this message as reason. */
class MalformedDelivery extends RuntimeException {
    MalformedDelivery(String message) {
        super(message, null, false, false);
    }
}
