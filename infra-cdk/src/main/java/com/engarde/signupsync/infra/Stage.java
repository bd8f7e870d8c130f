package com.engarde.signupsync.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.Locale;

/** What differs between a stage: sizes, redundancy, how long things are kept, and what survives a delete. */
public enum Stage {
    DEV(InstanceSize.MICRO, 80, 20, 50, false, false, 1, RetentionDays.TWO_WEEKS, 20, 40, 5, 10),
    PROD(InstanceSize.SMALL, 180, 50, 200, true, true, 2, RetentionDays.SIX_MONTHS, 100, 200, 20, 40);

    private final InstanceSize databaseSize;
    private final int databaseConnections;
    private final int storageGb;
    private final int maxStorageGb;
    private final boolean multiAz;
    private final boolean keepData;
    private final int natGateways;
    private final RetentionDays logRetention;
    private final int apiRatePerSecond;
    private final int apiBurst;
    private final int openRouteRatePerSecond;
    private final int openRouteBurst;

    Stage(InstanceSize databaseSize, int databaseConnections, int storageGb, int maxStorageGb, boolean multiAz, boolean keepData, int natGateways,
          RetentionDays logRetention, int apiRatePerSecond, int apiBurst, int openRouteRatePerSecond, int openRouteBurst) {
        this.databaseSize = databaseSize;
        this.databaseConnections = databaseConnections;
        this.openRouteRatePerSecond = openRouteRatePerSecond;
        this.openRouteBurst = openRouteBurst;
        this.storageGb = storageGb;
        this.maxStorageGb = maxStorageGb;
        this.multiAz = multiAz;
        this.keepData = keepData;
        this.natGateways = natGateways;
        this.logRetention = logRetention;
        this.apiRatePerSecond = apiRatePerSecond;
        this.apiBurst = apiBurst;
    }

    public static Stage of(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stage must be dev or prod, not '" + value + "'");
        }
    }

    /** As it appears in names: dev, prod. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Graviton burstable instances: PostgreSQL 16 on db.t4g.micro (dev) and db.t4g.small (prod). */
    public InstanceType databaseInstance() {
        return InstanceType.of(InstanceClass.BURSTABLE4_GRAVITON, databaseSize);
    }

    /**
     * The instance's max_connections, set in its parameter group: below RDS's default for the class
     * (LEAST(DBInstanceClassMemory / 9531392, 5000): at most 112 for db.t4g.micro's 1 GiB, 225 for db.t4g.small's
     * 2 GiB, less what RDS keeps for itself), so the connection budget is a number the database enforces.
     */
    public int databaseConnections() {
        return databaseConnections;
    }

    public int storageGb() {
        return storageGb;
    }

    public int maxStorageGb() {
        return maxStorageGb;
    }

    public boolean multiAz() {
        return multiAz;
    }

    /** prod: deletion protection on, a final snapshot on delete, secrets and logs retained. */
    public boolean keepData() {
        return keepData;
    }

    /** What happens to the database when its resource is deleted. */
    public RemovalPolicy databaseRemoval() {
        return keepData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;
    }

    /** What happens to logs, secrets and keys when their resource is deleted. */
    public RemovalPolicy retainedRemoval() {
        return keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    public int natGateways() {
        return natGateways;
    }

    public RetentionDays logRetention() {
        return logRetention;
    }

    public int apiRatePerSecond() {
        return apiRatePerSecond;
    }

    public int apiBurst() {
        return apiBurst;
    }

    /** Each open route's own limit (no token: /health, /, webhooks), well under every other method's. */
    public int openRouteRatePerSecond() {
        return openRouteRatePerSecond;
    }

    public int openRouteBurst() {
        return openRouteBurst;
    }
}
