package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.sync.FailedRecord;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor's text cannot write a log line of its own nor reorder what is shown: an id is one line wherever it
 * goes (run log, record log, log line), and bidi controls are dropped at mapping as API input refuses them.
 */
class VendorTextInLogsTest {

    private static final String FORGED = "2026-06-15 12:00:00 INFO AdminTokens - superuser granted to mallory";

    @Test
    void aVendorIdWithALineBreakCannotForgeALogLine() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SyncRun run;
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(3);
            f.stub.appointment(2).put("id", "7\n" + FORGED);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                run = f.sync();
            } finally {
                System.setErr(original);
            }
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(run.failedRecords()).hasSize(1);
        assertThat(run.failedRecords()).extracting(FailedRecord::externalId).allSatisfy(id ->
                assertThat(id).doesNotContain("\n", "\r").contains("superuser granted"));
        // The failed record is logged (so this proves something), inside the engine's own line.
        assertThat(log).contains("superuser granted to mallory");
        assertThat(log.lines()).noneMatch(line -> line.startsWith(FORGED.substring(0, 19)));
    }

    @Test
    void bidiControlsInVendorTextAreDroppedAtMapping() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(3);
            f.stub.addCustomer(3, "person3@example.com", "Ada\u202eLove", "Last\u2066\u2069x");

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(Rows.row("SELECT first_name, last_name FROM leads WHERE email = 'person3@example.com'"))
                    .containsEntry("first_name", "AdaLove").containsEntry("last_name", "Lastx");
        }
    }
}
