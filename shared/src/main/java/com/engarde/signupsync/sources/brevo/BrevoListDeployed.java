package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.manifest.FunctionManifests;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/**
 * True in a process whose manifests carry the list's runs out (a bus trigger for {@code brevo}: sync-brevo in AWS,
 * every function in the local run): the destination is built there and nowhere else, so no other function reads
 * settings its deploy does not give it.
 */
public final class BrevoListDeployed implements Condition {

    @Override
    public boolean matches(ConditionContext context) {
        FunctionManifests manifests = context.findBean(FunctionManifests.class).orElse(null);
        if (manifests == null) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            manifests = FunctionManifests.onClasspath(loader != null ? loader : BrevoListDeployed.class.getClassLoader());
        }
        if (!manifests.busSources().contains(BrevoListDestination.TYPE)) {
            context.fail("no manifest of this process has a bus trigger for " + BrevoListDestination.TYPE);
            return false;
        }
        return true;
    }
}
