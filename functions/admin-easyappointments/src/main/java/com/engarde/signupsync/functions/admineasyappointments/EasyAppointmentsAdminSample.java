package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.admin.AdminTokens;
import com.engarde.signupsync.appointments.AppointmentList;
import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Priming: the route filter, the admin refusal and the error body (a sample request carries the service token, which
 * an admin route refuses), the admin token's checks (against a throwaway key), and the list's read and its answer's
 * JSON, called directly. No write.
 */
@Singleton
class EasyAppointmentsAdminSample implements SampleWork {

    private final AdminTokens tokens;
    private final AppointmentList list;
    private final ObjectMapper json;

    EasyAppointmentsAdminSample(AdminTokens tokens, AppointmentList list, ObjectMapper json) {
        this.tokens = tokens;
        this.list = list;
        this.json = json;
    }

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/api/admin/easyappointments/appointments", 401));
    }

    @Override
    public void exercise() throws Exception {
        tokens.prime();
        json.writeValueAsBytes(list.page(Map.of()));
    }
}
