package com.engarde.signupsync.functions.synceventbrite;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.testing.EventbriteStub;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The connector contract for Eventbrite (the organization's attendees as the records), against its stub. */
@ExpectsWarnings({"sync run \\d+ of eventbrite failed: ", "record\\(s\\) of page \\d+ failed"})
class EventbriteContractTest extends SyncSourceContract {

    @Override
    protected Subject subject() {
        EventbriteFixture f = new EventbriteFixture(10);
        AtomicReference<Duration> pageTakes = new AtomicReference<>(Duration.ZERO);
        f.stub.afterAnswer(r -> {
            if (r.contains("/attendees/")) {
                TestClock.INSTANCE.advance(pageTakes.get());
            }
        });
        return new Subject() {
            public SyncSource source() {
                return f.source();
            }

            public SyncEngine engine() {
                return f.engine();
            }

            public SyncRunLog runs() {
                return f.runs();
            }

            public void records(int n) {
                f.attendees(n);
            }

            public void delete(int key) {
                f.stub.removeAttendee(Integer.toString(key));
            }

            public void spoil(int key) {
                f.stub.attendee(Integer.toString(key)).with("profile").put("email", "not an email");
            }

            public void failPage(int page) {
                int[] seen = {0};
                f.stub.fault(new EventbriteStub.Fault(r -> r.contains("/attendees/") && ++seen[0] == page, 403,
                        "{\"error\":\"NOT_AUTHORIZED\",\"error_description\":\"You do not have permission to access the resource you requested.\",\"status_code\":403}",
                        Map.of()));
            }

            public void everyPageTakes(Duration duration) {
                pageTakes.set(duration);
            }

            public int pageSize() {
                return 10;
            }

            public boolean noticesDeletions() {
                return false;
            }

            public Instant now() {
                return TestClock.INSTANCE.instant();
            }

            public void settle() {
                EventbriteFixture.await(f.bus());
            }

            public void close() {
                f.close();
            }
        };
    }
}
