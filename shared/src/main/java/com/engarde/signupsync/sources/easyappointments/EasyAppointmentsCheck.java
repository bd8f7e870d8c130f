package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.bus.TimeBudget;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.sync.RetryPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Verifies EasyAppointments credentials with one page of services from the instance they name. */
@Singleton
final class EasyAppointmentsCheck implements CredentialCheck {

    private final EasyAppointmentsSettings settings;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;

    EasyAppointmentsCheck(EasyAppointmentsSettings settings, RetryPolicy retry, Clock clock, ObjectMapper mapper) {
        this.settings = settings;
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public String sourceType() {
        return "easyappointments";
    }

    @Override
    public void check(Credentials credentials, TimeBudget budget) {
        new EasyAppointmentsClient(settings, EasyAppointmentsSettings.apiBase(credentials.require("url")),
                credentials.require("api_key"), retry, clock, mapper).probe(budget);
    }
}
