package com.engarde.signupsync.testing;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorLimitReached;
import com.engarde.signupsync.sync.DestinationPass;
import com.engarde.signupsync.sync.SentBatch;
import com.engarde.signupsync.sync.SentRecord;
import com.engarde.signupsync.sync.SyncDestination;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A destination over records held in memory, for tests of the engine and of the glue around it: an outbox of
 * contacts sorted by a numeric key, sent {@code batchSize} a batch (one request each) to a fake vendor that keeps
 * what it was sent; cursor {@code {"after": key}}, so a run sends what was added after the last batch recorded.
 * {@link #refuse} makes the vendor refuse one record (it fails alone), {@link #failOnBatch} makes a batch's
 * request fail (the vendor erring, an invocation dying there), {@link #quotaSpentOnBatch} meet a spent quota.
 * Its type is not one the migrations seed: {@link #register} adds its funnel_sources row, as the migration that
 * lands a real destination would.
 */
public final class FakeDestination implements SyncDestination {

    /** One record waiting to be sent. */
    public record Contact(long key, String email, String firstName) {
    }

    private final String destinationType;
    private final int batchSize;
    private final NavigableMap<Long, Contact> outbox = new ConcurrentSkipListMap<>();
    /** What the fake vendor holds, by external id. */
    private final Map<String, Contact> held = new ConcurrentHashMap<>();
    private final Set<Long> refused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile IntPredicate failOnBatch = batch -> false;
    private volatile IntPredicate quotaSpentOnBatch = batch -> false;
    private volatile Instant quotaResets;
    private volatile Runnable afterBatch = () -> { };

    public FakeDestination(String destinationType, int batchSize) {
        if (!destinationType.matches("[a-z][a-z0-9_]{1,39}")) {
            throw new IllegalArgumentException("not a funnel_sources type: " + destinationType);
        }
        this.destinationType = destinationType;
        this.batchSize = batchSize;
    }

    /** Adds the fake's funnel_sources row (kind destination, active), if it is not there yet. */
    public FakeDestination register() {
        TestDatabase.get().execute("INSERT INTO funnel_sources (source_type, display_name, kind) VALUES ('"
                + destinationType + "', 'Fake destination', 'destination') ON CONFLICT (source_type) DO NOTHING");
        return this;
    }

    /** Removes the row and its runs, so that no later test meets a type the migrations do not have. */
    public void unregister() {
        TestDatabase.get().execute("DELETE FROM funnel_sync_logs WHERE source_type = '" + destinationType + "'");
        TestDatabase.get().execute("DELETE FROM funnel_sources WHERE source_type = '" + destinationType + "'");
    }

    public FakeDestination put(Contact contact) {
        outbox.put(contact.key(), contact);
        return this;
    }

    /** {@code n} well-formed records with keys 1..n waiting to be sent. */
    public FakeDestination records(int n) {
        for (int i = 1; i <= n; i++) {
            put(new Contact(i, "person" + i + "@example.com", "First" + i));
        }
        return this;
    }

    /** The vendor refuses record {@code key} whenever it is sent. */
    public void refuse(long key) {
        refused.add(key);
    }

    /** Batch requests (1-based, counted over the fake's life) that fail. */
    public void failOnBatch(IntPredicate batches) {
        this.failOnBatch = batches;
    }

    /** Batch requests (counted as for {@link #failOnBatch}) answered 429 with a quota that resets at {@code resets}. */
    public void quotaSpentOnBatch(IntPredicate batches, Instant resets) {
        this.quotaResets = resets;
        this.quotaSpentOnBatch = batches;
    }

    /** Called after each batch is sent (a test advances its clock there). */
    public void afterBatch(Runnable hook) {
        this.afterBatch = hook;
    }

    /** How many distinct records the vendor holds. */
    public int held() {
        return held.size();
    }

    /** How many records the vendor took, repeats included. */
    public int accepted() {
        return accepted.get();
    }

    /** How many requests the vendor received, failed ones included. */
    public int requests() {
        return requests.get();
    }

    @Override
    public String destinationType() {
        return destinationType;
    }

    @Override
    public DestinationPass open(JsonNode checkpoint) {
        return new Pass(checkpoint == null ? 0 : checkpoint.path("after").asLong(0));
    }

    private final class Pass implements DestinationPass {
        private long after;
        private int number;

        Pass(long after) {
            this.after = after;
        }

        @Override
        public SentBatch sendNext(TimeBudget budget) {
            List<Contact> batch = new ArrayList<>();
            for (Contact contact : outbox.tailMap(after, false).values()) {
                if (batch.size() == batchSize) {
                    break;
                }
                batch.add(contact);
            }
            number++;
            if (batch.isEmpty()) {
                return new SentBatch(number, List.of(), cursor(after), true);
            }
            // One request per batch, counted by the vendor and in the budget as VendorHttp counts what it sends.
            int request = requests.incrementAndGet();
            budget.requests().incrementAndGet();
            if (failOnBatch.test(request)) {
                throw new VendorException("FakeVendor", 503, "FakeVendor answered 503 to batch " + number, null);
            }
            if (quotaSpentOnBatch.test(request)) {
                throw new VendorLimitReached("FakeVendor", 429, "FakeVendor's quota is spent", quotaResets);
            }
            List<SentRecord> sent = new ArrayList<>(batch.size());
            for (Contact contact : batch) {
                String id = Long.toString(contact.key());
                if (refused.contains(contact.key())) {
                    sent.add(SentRecord.failed(id, "the fake vendor refused it"));
                    continue;
                }
                accepted.incrementAndGet();
                Contact before = held.put(id, contact);
                sent.add(before == null ? SentRecord.created(id)
                        : before.equals(contact) ? SentRecord.unchanged(id) : SentRecord.updated(id));
            }
            after = batch.get(batch.size() - 1).key();
            boolean last = outbox.tailMap(after, false).isEmpty();
            afterBatch.run();
            return new SentBatch(number, sent, cursor(after), last);
        }
    }

    private static JsonNode cursor(long after) {
        return JsonNodeFactory.instance.objectNode().put("after", after);
    }
}
