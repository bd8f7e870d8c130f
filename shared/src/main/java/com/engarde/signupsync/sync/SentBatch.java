package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A batch a destination sent, as the engine records it: in one transaction with {@code cursorAfter}, the
 * checkpoint after which the next invocation goes on. {@code number} is the batch's 1-based place in its pass;
 * an empty last batch says there was nothing (more) to send.
 */
public record SentBatch(int number, List<SentRecord> records, JsonNode cursorAfter, boolean last) {

    public SentBatch {
        records = List.copyOf(records);
    }
}
