package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: the two reads, the listing with and without its query rules; a replay would change deliveries. */
@Singleton
class PoshDeliveriesSample implements SampleWork {

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.get("/sync/poshvip/deliveries", 200),
                SampleRequest.get("/sync/poshvip/deliveries?status=failed&limit=10", 200),
                SampleRequest.get("/sync/poshvip/deliveries/9007199254740991", 404));
    }
}
