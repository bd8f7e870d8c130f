package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.credentials.CheckHttp;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.http.RetryPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Verifies EasyAppointments credentials with one page of services from the instance they name, with the verify
 * timeouts every check has ({@link CheckHttp}), not the sync's: an admin is waiting within the verify budget.
 */
@Singleton
final class EasyAppointmentsCheck implements CredentialCheck {

    private final CheckHttp http;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;

    EasyAppointmentsCheck(CheckHttp http, RetryPolicy retry, Clock clock, ObjectMapper mapper) {
        this.http = http;
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
        new EasyAppointmentsClient(http.settings(), EasyAppointmentsSettings.apiBase(credentials.require("url")),
                credentials.require("api_key"), retry, clock, mapper).probe(budget);
    }
}
