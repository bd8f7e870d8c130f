package com.engarde.signupsync.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.constructs.IConstruct;

import java.util.List;

/**
 * The one way this app accepts a cdk-nag finding: on one construct (and its children), for one rule, with the
 * reason written next to it. The template tests fail on any finding without such a reason.
 */
final class Nag {

    private Nag() {
    }

    /** Accepts {@code rule} (e.g. "AwsSolutions-IAM5") on {@code scope}, for the findings {@code appliesTo} names (all if none). */
    static void accept(IConstruct scope, String rule, String reason, String... appliesTo) {
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            suppression.appliesTo(List.<Object>of((Object[]) appliesTo));
        }
        NagSuppressions.addResourceSuppressions(scope, List.of(suppression.build()), true);
    }
}
