package com.engarde.signupsync.snapstart;

/**
 * The JVM options every function runs with in Lambda ({@code JAVA_TOOL_OPTIONS}): C1 only, which AWS recommends
 * for short-lived functions (a first request compiled quickly beats peak speed that C2 reaches minutes later).
 * The CDK app sets them and the cold-start benchmark starts each jar with them, so the two cannot disagree.
 * No dependencies: the CDK app reads this class.
 */
public final class LambdaJvm {

    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private LambdaJvm() {
    }
}
