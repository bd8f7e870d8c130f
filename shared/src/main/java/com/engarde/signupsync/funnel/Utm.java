package com.engarde.signupsync.funnel;

/** UTM parameters of a touch; any of them may be absent. */
public record Utm(String source, String medium, String campaign, String term, String content) {
    public static final Utm NONE = new Utm(null, null, null, null, null);
}
