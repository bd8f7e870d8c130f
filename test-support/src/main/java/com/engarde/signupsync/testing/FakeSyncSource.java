package com.engarde.signupsync.testing;

import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.SortKey;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A connector over records held in memory, for tests of the engine and of the glue around it: a listing
 * sorted by a numeric key, {@code pageSize} records a page, cursor {@code {"after": key}}. Its deletions are
 * noticed as {@link Deletions#SORTED_LISTING} (each page declares its key range) unless it is made a
 * {@link Deletions#COMPLETE_SNAPSHOT} or {@link Deletions#NONE} source ({@link #noticingDeletions}), whose pages
 * declare no range. A record maps to
 * one {@code lead_captured} event, its text passed on as given (no cleaning: the engine's own defences are
 * what a test of this source sees). {@link #failOnPage} makes a page's fetch throw, as a crash between pages.
 */
public final class FakeSyncSource implements SyncSource {

    /** One record of the fake vendor. */
    public record Item(long key, String email, String firstName, Instant occurredAt) {
    }

    private final String sourceType;
    private final int pageSize;
    private final NavigableMap<Long, Item> items = new ConcurrentSkipListMap<>();
    private final AtomicInteger pagesFetched = new AtomicInteger();
    private volatile IntPredicate failOnPage = page -> false;
    private volatile Runnable afterPage = () -> { };
    private volatile Deletions deletions = Deletions.SORTED_LISTING;

    public FakeSyncSource(String sourceType, int pageSize) {
        SourceType.fromId(sourceType).orElseThrow(() -> new IllegalArgumentException("unknown source " + sourceType));
        this.sourceType = sourceType;
        this.pageSize = pageSize;
    }

    public FakeSyncSource put(Item item) {
        items.put(item.key(), item);
        return this;
    }

    /** {@code n} well-formed records with keys 1..n. */
    public FakeSyncSource items(int n, Instant at) {
        for (int i = 1; i <= n; i++) {
            put(new Item(i, "person" + i + "@example.com", "First" + i, at));
        }
        return this;
    }

    /** How the fake declares the engine may notice deletions. */
    public FakeSyncSource noticingDeletions(Deletions how) {
        this.deletions = how;
        return this;
    }

    public void clear() {
        items.clear();
    }

    /** Called after each page is fetched (a test advances its clock there). */
    public void afterPage(Runnable hook) {
        this.afterPage = hook;
    }

    public void remove(long key) {
        items.remove(key);
    }

    /** Pages (1-based, counted over the source's life) whose fetch throws. */
    public void failOnPage(IntPredicate pages) {
        this.failOnPage = pages;
    }

    public int pagesFetched() {
        return pagesFetched.get();
    }

    @Override
    public String sourceType() {
        return sourceType;
    }

    @Override
    public Deletions deletions() {
        return deletions;
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        long start = checkpoint == null || checkpoint.path("done").asBoolean(false) ? 0 : checkpoint.path("after").asLong(0);
        return new Pass(start);
    }

    private final class Pass implements SyncPass {
        private long after;
        private int number;

        Pass(long after) {
            this.after = after;
        }

        @Override
        public SyncPage next(TimeBudget budget) {
            int fetched = pagesFetched.incrementAndGet();
            if (failOnPage.test(fetched)) {
                throw new IllegalStateException("fake source: page " + fetched + " fails");
            }
            List<SyncRecord> records = new ArrayList<>();
            long upTo = after;
            for (Map.Entry<Long, Item> e : items.tailMap(after, false).entrySet()) {
                if (records.size() == pageSize) {
                    break;
                }
                records.add(map(e.getValue()));
                upTo = e.getKey();
            }
            boolean last = items.tailMap(upTo, false).isEmpty();
            SyncPage.KeyRange range = deletions != Deletions.SORTED_LISTING ? null
                    : SyncPage.KeyRange.between(after == 0 ? null : SortKey.of(after), last ? null : SortKey.of(upTo));
            after = upTo;
            number++;
            JsonNode cursor = JsonNodeFactory.instance.objectNode().put("after", last ? 0 : upTo).put("done", last);
            afterPage.run();
            return new SyncPage(number, records, range, cursor, last);
        }
    }

    private SyncRecord map(Item item) {
        SourceType source = SourceType.fromId(sourceType).orElseThrow();
        String id = Long.toString(item.key());
        NewFunnelEvent event = new NewFunnelEvent(source, EventType.LEAD_CAPTURED, id, item.occurredAt(),
                new Person(item.email(), item.firstName(), null, null), Utm.NONE,
                JsonNodeFactory.instance.objectNode().put("key", item.key()));
        return SyncRecord.mapped(id, SortKey.of(item.key()), item.occurredAt(), List.of(event));
    }
}
