package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.status.ServiceStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** GET / names the service; GET /health says whether it can reach its database. */
@Controller
public class ServiceController {

    private final ServiceStatus status;

    public ServiceController(ServiceStatus status) {
        this.status = status;
    }

    @Get
    public ServiceStatus.About about() {
        return status.about();
    }

    @Get("/health")
    public HttpResponse<ServiceStatus.Health> health() {
        ServiceStatus.Health health = status.health();
        return HttpResponse.status(health.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }
}
