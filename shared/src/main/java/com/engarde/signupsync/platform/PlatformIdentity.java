package com.engarde.signupsync.platform;

import java.util.UUID;

/** En Garde's own organization and tenant, created by the V9 migration: usage is recorded, never limited. */
public final class PlatformIdentity {

    public static final UUID ORGANIZATION_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    public static final UUID TENANT_ID = UUID.fromString("00000000-0000-0000-0000-000000000002");
    public static final String PLAN_TIER = "platform";

    private PlatformIdentity() {
    }
}
