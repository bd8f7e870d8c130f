package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import com.engarde.signupsync.snapstart.TlsPriming;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: auth, routing and the error body (POST would start a run), and the TLS set-up of the vendor call. */
@Singleton
class EasyAppointmentsSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/sync/easyappointments", 405));
    }

    @Override
    public void exercise() throws Exception {
        TlsPriming.clientHello();
    }
}
