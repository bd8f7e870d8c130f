package com.engarde.signupsync.functions.synczoom;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.ZoomStub;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The connector contract for Zoom (registrants of one webinar as the records), against its stub. */
@ExpectsWarnings({"sync run \\d+ of zoom failed: ", "record\\(s\\) of page \\d+ failed"})
class ZoomContractTest extends SyncSourceContract {

    private static final String WEBINAR = "81000000001";

    @Override
    protected Subject subject() {
        ZoomFixture f = new ZoomFixture(10);
        AtomicReference<Duration> pageTakes = new AtomicReference<>(Duration.ZERO);
        f.stub.afterAnswer(r -> {
            if (r.contains("/registrants?")) {
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
                f.webinar(WEBINAR, n);
            }

            public void delete(int key) {
                f.stub.removeRegistrant(WEBINAR, Integer.toString(key));
            }

            public void spoil(int key) {
                f.stub.registrant(WEBINAR, Integer.toString(key)).put("email", "not an email");
            }

            public void failPage(int page) {
                // The page-th approved page: page 1 has no token, page k the (k-1)-th token issued for it.
                int[] seen = {0};
                f.stub.fault(new ZoomStub.Fault(r -> r.contains("/registrants?status=approved") && ++seen[0] == page,
                        400, "{\"code\":4711,\"message\":\"Invalid access token, does not contain scopes.\"}", Map.of()));
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
                ZoomFixture.await(f.bus());
            }

            public void close() {
                f.close();
            }
        };
    }
}
