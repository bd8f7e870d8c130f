package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.testing.EasyAppointmentsStub.Fault;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The connector contract for EasyAppointments, against its stub. */
@ExpectsWarnings({"sync run \\d+ of easyappointments failed: ", "record\\(s\\) of page \\d+ failed"})
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
        return new FixtureSubject(f) {
            public SyncSource source() {
                return f.source();
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

        };
    }
}
