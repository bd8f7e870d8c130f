package com.engarde.signupsync.appointments;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a short narrative of aggregated figures. Implemented by the Anthropic integration; declared here so that
 * the figures do not depend on a vendor. Never throws: a failure is a {@link Narrative} that says so.
 */
public interface NarrativeWriter {

    /**
     * @param subject what the figures are about ({@code conversion}), part of the cache key
     * @param facts   the figures as they may leave the service: counts, rates and dates, nothing that identifies a person
     */
    Narrative write(String subject, ObjectNode facts);
}
