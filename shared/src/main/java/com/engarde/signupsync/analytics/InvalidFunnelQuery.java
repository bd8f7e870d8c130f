package com.engarde.signupsync.analytics;

/** A funnel question's parameter that cannot be answered: names the parameter, says what it accepts. */
public class InvalidFunnelQuery extends RuntimeException {

    private final String field;

    InvalidFunnelQuery(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
