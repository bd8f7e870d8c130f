package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.funnel.NewFunnelEvent;

import java.util.List;

/** What a delivery means for the funnel: events to write, nothing (and why), or a reason it cannot be read. */
public sealed interface PoshMapping {

    record Events(List<NewFunnelEvent> events) implements PoshMapping {
    }

    record Ignored(String reason) implements PoshMapping {
    }

    record Failed(String reason) implements PoshMapping {
    }
}
