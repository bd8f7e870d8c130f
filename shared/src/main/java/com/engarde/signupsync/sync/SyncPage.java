package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A page of a source's listing as the engine writes it: in one transaction with {@code cursorAfter}, the
 * checkpoint that resumes the pass after this page. {@code range}, when the listing is sorted by a key, is
 * the key range the page covers completely: stored records in it that the page lacks are looked into.
 * {@code number} is the page's 1-based place in its pass.
 */
public record SyncPage(int number, List<SyncRecord> records, KeyRange range, JsonNode cursorAfter, boolean last) {

    /**
     * Keys in {@code (after, upTo]} ({@code upTo} null: no upper end), of records happening at or after
     * {@code notBefore} when the listing is a date window (null: no window).
     */
    public record KeyRange(long after, Long upTo, java.time.Instant notBefore) {
        public boolean contains(long key) {
            return key > after && (upTo == null || key <= upTo);
        }
    }
}
