package com.engarde.signupsync.manifest;

/**
 * The names of the event bus that carries {@code SyncRequested} events: the functions put events with these
 * names and the CDK app builds the bus and its rules from the same constants, so the two cannot drift.
 */
public final class SyncBus {

    /** The bus's name in prod; another stage's bus carries the stage's name ({@link #name(String, boolean)}). */
    public static final String NAME = "signup-sync";
    /** The {@code source} of every event signup-sync puts on its bus. */
    public static final String SOURCE = "signup-sync";
    /** The {@code detail-type} of "sync this source", and a bus trigger's default {@code detailType}. */
    public static final String SYNC_REQUESTED = "SyncRequested";
    /** The environment variable that gives a bus publisher the bus's name. */
    public static final String NAME_VARIABLE = "SIGNUP_SYNC_EVENT_BUS_NAME";

    private SyncBus() {
    }

    /** The bus of a stage: prod's is {@value #NAME}, others carry their stage so two stages can share an account. */
    public static String name(String stage, boolean prod) {
        return prod ? NAME : NAME + "-" + stage;
    }
}
