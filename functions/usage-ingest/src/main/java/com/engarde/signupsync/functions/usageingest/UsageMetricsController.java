package com.engarde.signupsync.functions.usageingest;

import com.engarde.signupsync.platform.UsageIngest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/** The backend's usage reports. The body arrives raw: the service owns parsing and every error. */
@Controller("/usage")
@Consumes(MediaType.ALL)
public class UsageMetricsController {

    private final UsageIngest ingest;

    public UsageMetricsController(UsageIngest ingest) {
        this.ingest = ingest;
    }

    @Post("/metrics")
    public UsageIngest.Outcome metrics(@Body @Nullable byte[] body) {
        return ingest.record(body);
    }
}
