package com.engarde.signupsync.webhooks;

import java.util.Locale;

/** Why a delivery was refused with 401. Counted per day; the delivery itself is not stored. */
public enum Rejection {
    /** No secret is configured: every delivery is refused until one is. */
    NOT_CONFIGURED,
    /** Neither a secret header nor a signature was sent. */
    MISSING_CREDENTIALS,
    /** A secret header that matches no configured secret. */
    WRONG_SECRET,
    /** A signature that matches no configured secret over the body as received, or incomplete signature headers. */
    BAD_SIGNATURE,
    /** A signed timestamp further than the tolerance from now: a replay of an old delivery, or a bad clock. */
    STALE_TIMESTAMP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
