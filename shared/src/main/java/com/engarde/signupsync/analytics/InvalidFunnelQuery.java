package com.engarde.signupsync.analytics;

import com.engarde.signupsync.failure.InvalidInput;

/** A funnel question's parameter that cannot be answered: names the parameter, says what it accepts. */
public class InvalidFunnelQuery extends InvalidInput {

    InvalidFunnelQuery(String field, String message) {
        super(field, message);
    }
}
