package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.http.VendorHttp;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint's JSON, and the settings read from environment values. */
class EasyAppointmentsCursorTest {

    @Test
    void aCheckpointReadsBackAsWritten() {
        EasyAppointmentsCursor cursor = EasyAppointmentsCursor.windowPass(LocalDate.parse("2026-05-16"),
                Instant.parse("2026-06-15T18:30:00Z"), Instant.parse("2026-06-10T18:30:00Z")).after(1234, false);

        assertThat(EasyAppointmentsCursor.parse(cursor.json())).isEqualTo(cursor);
        assertThat(cursor.page()).isEqualTo(2);
        assertThat(cursor.lastId()).isEqualTo(1234);
    }

    @Test
    void completingAFullPassRecordsWhenItStarted() {
        Instant started = Instant.parse("2026-06-15T18:30:00Z");
        EasyAppointmentsCursor done = EasyAppointmentsCursor.fullPass(started, null).after(99, true);

        assertThat(done.done()).isTrue();
        assertThat(done.lastFullPassAt()).isEqualTo(started);
    }

    @Test
    void anUnreadableCheckpointStartsOver() {
        assertThat(EasyAppointmentsCursor.parse(null)).isNull();
        assertThat(EasyAppointmentsCursor.parse(JsonNodeFactory.instance.objectNode().put("pass", "window"))).isNull();
        assertThat(EasyAppointmentsCursor.parse(JsonNodeFactory.instance.objectNode().put("pass_started_at", "yesterday"))).isNull();
    }

    @Test
    void rateLimitSetting() {
        assertThat(EasyAppointmentsSettings.parseRateLimit("100/120s")).isEqualTo(new VendorHttp.RateLimit(100, Duration.ofSeconds(120)));
        assertThat(EasyAppointmentsSettings.parseRateLimit("off")).isEqualTo(VendorHttp.RateLimit.NONE);
        assertThatThrownBy(() -> EasyAppointmentsSettings.parseRateLimit("lots")).hasMessageContaining("100/120s");
    }
}
