package com.engarde.signupsync.functions.invitations;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: the whole redemption path with a token that redeems nothing (404), so nothing is written. */
@Singleton
class InvitationsSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.post("/invitations/redeem",
                "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", 404));
    }
}
