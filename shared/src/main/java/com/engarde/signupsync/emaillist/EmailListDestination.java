package com.engarde.signupsync.emaillist;

import com.engarde.signupsync.sync.SyncDestination;

/**
 * The destination that keeps the master email list (Brevo's, today): a {@link SyncDestination} whose runs send
 * the leads of an {@link EmailListScope}, read from the run's first checkpoint.
 */
public interface EmailListDestination extends SyncDestination {

    /** The list a run sends to when it is not told another (BREVO_LIST_ID); empty when none is configured. */
    java.util.OptionalLong defaultListId();
}
