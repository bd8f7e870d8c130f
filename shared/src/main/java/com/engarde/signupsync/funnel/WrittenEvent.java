package com.engarde.signupsync.funnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The outcome of writing one event: the stored row, and whether this write created it; or, for a person who was
 * erased, nothing written ({@code suppressed} true, no event).
 */
public record WrittenEvent(boolean created,
                           @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                   description = "the stored event; absent when suppressed") FunnelEvent event,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                           @Schema(description = "true when the person was erased: nothing was written (answered 200);"
                                   + " left out otherwise") boolean suppressed) {

    public WrittenEvent(boolean created, FunnelEvent event) {
        this(created, event, false);
    }

    static WrittenEvent erased() {
        return new WrittenEvent(false, null, true);
    }
}
