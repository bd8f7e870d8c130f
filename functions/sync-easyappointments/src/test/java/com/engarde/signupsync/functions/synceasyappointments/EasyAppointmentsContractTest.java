package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRunLog;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.testing.EasyAppointmentsStub.Fault;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The connector contract for EasyAppointments, against its stub. */
class EasyAppointmentsContractTest extends SyncSourceContract {

    @Override
    protected Subject subject() {
        SyncFixture f = new SyncFixture();
        AtomicReference<Duration> pageTakes = new AtomicReference<>(Duration.ZERO);
        f.stub.afterAnswer(r -> {
            if (r.contains("/appointments?")) {
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
                f.appointments(n);
            }

            public void delete(int key) {
                f.stub.delete(key);
            }

            public void spoil(int key) {
                f.stub.appointment(key).put("start", "0001-01-01 10:00:00");
            }

            public void failPage(int page) {
                f.stub.fault(Fault.status("/appointments", 401, "{\"success\":false,\"message\":\"gone away\"}", Map.of())
                        .on(r -> r.contains("/appointments?page=" + page + "&")));
            }

            public void everyPageTakes(Duration duration) {
                pageTakes.set(duration);
            }

            public int pageSize() {
                return 10;
            }

            public boolean noticesDeletions() {
                return true;
            }

            public Instant now() {
                return TestClock.INSTANCE.instant();
            }

            public void settle() {
                SyncFixture.await(f.bus());
            }

            public void close() {
                f.close();
            }
        };
    }
}
