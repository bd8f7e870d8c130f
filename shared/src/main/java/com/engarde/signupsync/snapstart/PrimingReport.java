package com.engarde.signupsync.snapstart;

import java.util.List;

/**
 * What a priming did: each sample request with the status it answered, the sample work that failed (by class and
 * error type, never a message, which might quote a value), and whether the database answered.
 */
public record PrimingReport(List<Answered> requests, List<String> failures, boolean databaseReached) {

    public record Answered(SampleRequest request, int status) {
        public boolean expected() {
            return status == request.status();
        }
    }

    /** True when every request answered as declared and no sample work failed. */
    public boolean clean() {
        return failures.isEmpty() && requests.stream().allMatch(Answered::expected);
    }
}
