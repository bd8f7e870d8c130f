package com.engarde.signupsync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A page of a source's listing as the engine writes it: in one transaction with {@code cursorAfter}, the
 * checkpoint that resumes the pass after this page. {@code range}, for a source whose deletions are
 * {@link Deletions#SORTED_LISTING}, is the key range the page covers completely (null: the page covers none,
 * nothing is looked for). {@code number} is the page's 1-based place in its pass.
 */
public record SyncPage(int number, List<SyncRecord> records, KeyRange range, JsonNode cursorAfter, boolean last) {

    /**
     * Keys in {@code (after, upTo]} ({@code after} null: from the lowest, {@code upTo} null: no upper end). A
     * listing filtered to records happening from a time on (a date window) covers, inside its keys, only the
     * stored records happening at or after {@code happeningFrom} or with no time ({@code happeningFrom} null:
     * all of them).
     */
    public record KeyRange(SortKey after, SortKey upTo, Instant happeningFrom) {

        public static KeyRange between(SortKey after, SortKey upTo) {
            return new KeyRange(after, upTo, null);
        }

        /** This range, covering only records happening at or after {@code from}. */
        public KeyRange happeningFrom(Instant from) {
            return new KeyRange(after, upTo, from);
        }

        public boolean contains(SortKey key) {
            return (after == null || key.compareTo(after) > 0) && (upTo == null || key.compareTo(upTo) <= 0);
        }

        /** Whether the range covers a stored record with this key and time. */
        public boolean covers(SortKey key, Instant happensAt) {
            return key != null && contains(key)
                    && (happeningFrom == null || happensAt == null || !happensAt.isBefore(happeningFrom));
        }
    }
}
