package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.appointments.Appointments;
import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.testing.LambdaHarness;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Appointments as the EasyAppointments sync writes them (its booked event, then the kept appointment, in one
 * transaction through the same services), without a stub instance: the admin views' fixtures.
 */
final class SyncedAppointments {

    private final List<Appointment> appointments = new ArrayList<>();

    static Appointment appointment(long id, Instant booked, Instant start, int minutes, String status, Outcome outcome,
                                   String email, String currency, String price) {
        return new Appointment(id, booked, start, start.plusSeconds(minutes * 60L), "UTC", status, outcome,
                new Appointment.Service(1L, "Intro call", price == null ? null : new BigDecimal(price), currency, minutes),
                1L, new Appointment.Customer(id, email, "First" + id, "Last" + id, "+1555000" + id));
    }

    SyncedAppointments add(Appointment appointment) {
        appointments.add(appointment);
        return this;
    }

    void write(LambdaHarness lambda) {
        FunnelEventWriter events = lambda.context().getBean(FunnelEventWriter.class);
        Appointments kept = lambda.context().getBean(Appointments.class);
        lambda.context().getBean(Database.class).transaction(connection -> {
            events.upsert(connection, appointments.stream().map(a -> new NewFunnelEvent(com.engarde.signupsync.sources.easyappointments.EasyAppointmentsIntegration.EASYAPPOINTMENTS,
                    EventType.APPOINTMENT_BOOKED, Long.toString(a.id()), a.bookedAt(),
                    new Person(a.customer().email(), a.customer().firstName(), a.customer().lastName(), a.customer().phone()),
                    Utm.NONE, JsonNodeFactory.instance.objectNode().put("appointment_id", a.id()))).toList());
            kept.save(connection, appointments);
            return null;
        });
    }
}
