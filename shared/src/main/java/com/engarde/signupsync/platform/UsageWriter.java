package com.engarde.signupsync.platform;

import com.engarde.signupsync.funnel.ErasedPeople;
import com.engarde.signupsync.persistence.Database;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes usage records set-wise, in one transaction: the records whose idempotency key is new for their tenant
 * are found first, and only they create or rename organizations, tenants, users and brands (a duplicate changes
 * nothing). A brand belongs to one tenant: a record naming another tenant's brand is refused before it changes
 * anything. So is a record of a day whose raw records were removed as past their retention (docs/retention.md): the
 * rollup no longer recomputes that day. One statement inserts the rest, and the UTC days they fall on are marked
 * dirty for the rollup.
 */
@Singleton
public class UsageWriter {

    /**
     * Keys are unique per tenant; the lookup by key alone stays one index scan of the key-first unique index, and
     * the rare key another tenant also used is told apart here.
     */
    private static final String KNOWN_KEYS =
            "SELECT idempotency_key, tenant_id FROM usage_metrics WHERE idempotency_key = ANY(?::text[])";

    private static final String BRAND_OWNERS = "SELECT id, tenant_id FROM platform_brands WHERE id = ANY(?::uuid[])";

    /**
     * As for tenants (below), an organization the batch would leave as it is does not reach ON CONFLICT; one that
     * does is changed, unless the record names none or it is the platform's.
     */
    private static final String UPSERT_ORGANIZATIONS = """
            INSERT INTO platform_organizations AS o (id, name)
            SELECT id, coalesce(name, id::text) FROM unnest(?::uuid[], ?::text[]) AS u(id, name)
            WHERE NOT EXISTS (
                SELECT 1 FROM platform_organizations e
                WHERE e.id = u.id
                  AND (e.id = '00000000-0000-0000-0000-000000000001' OR coalesce(u.name, u.id::text) = u.id::text
                       OR e.name IS NOT DISTINCT FROM u.name))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
            WHERE o.id <> '00000000-0000-0000-0000-000000000001' AND EXCLUDED.name <> EXCLUDED.id::text
            """;

    /**
     * The platform tenant keeps the migration's name, plan and limits whatever a record says. A tenant the
     * batch would leave as it is does not reach ON CONFLICT, which locks (and so writes) every row it meets,
     * even one its WHERE leaves alone; what reaches it (a change, or a tenant another batch inserted meanwhile)
     * is updated.
     */
    private static final String UPSERT_TENANTS = """
            INSERT INTO platform_tenants AS t (id, organization_id, name, plan_tier)
            SELECT id, org, coalesce(name, id::text), coalesce(plan, 'unknown')
            FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[]) AS u(id, org, name, plan)
            WHERE NOT EXISTS (
                SELECT 1 FROM platform_tenants e
                WHERE e.id = u.id
                  AND (e.unlimited OR (e.organization_id, e.name, e.plan_tier) IS NOT DISTINCT FROM
                       (coalesce(u.org, e.organization_id),
                        CASE WHEN coalesce(u.name, u.id::text) = u.id::text THEN e.name ELSE u.name END,
                        CASE WHEN coalesce(u.plan, 'unknown') = 'unknown' THEN e.plan_tier ELSE u.plan END)))
            ON CONFLICT (id) DO UPDATE SET
                organization_id = coalesce(EXCLUDED.organization_id, t.organization_id),
                name = CASE WHEN EXCLUDED.name = EXCLUDED.id::text THEN t.name ELSE EXCLUDED.name END,
                plan_tier = CASE WHEN EXCLUDED.plan_tier = 'unknown' THEN t.plan_tier ELSE EXCLUDED.plan_tier END,
                updated_at = now()
            WHERE NOT t.unlimited
            """;

    /** As for tenants, a user the batch would leave as it is does not reach ON CONFLICT. */
    private static final String UPSERT_USERS = """
            INSERT INTO platform_users AS p (id, email)
            SELECT * FROM unnest(?::uuid[], ?::text[]) AS u(id, email)
            WHERE NOT EXISTS (SELECT 1 FROM platform_users e
                              WHERE e.id = u.id AND (u.email IS NULL OR e.email = u.email))
            ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, updated_at = now()
            WHERE EXCLUDED.email IS NOT NULL
            """;

    /** Without a conflict target: a new brand whose name its tenant already uses is left to the next steps. */
    private static final String INSERT_BRANDS = """
            INSERT INTO platform_brands (id, tenant_id, brand_name)
            SELECT id, tenant, coalesce(name, id::text) FROM unnest(?::uuid[], ?::uuid[], ?::text[]) AS u(id, tenant, name)
            ON CONFLICT DO NOTHING
            RETURNING id
            """;

    /**
     * A record renames only a brand of its own tenant, and never one of the platform tenant's: those are the
     * brands admins create, renamed through the admin API alone.
     */
    private static final String RENAME_BRANDS = """
            UPDATE platform_brands b SET brand_name = u.name, updated_at = now()
            FROM unnest(?::uuid[], ?::uuid[], ?::text[]) AS u(id, tenant, name)
            WHERE b.id = u.id AND b.tenant_id = u.tenant AND b.tenant_id <> '00000000-0000-0000-0000-000000000002'
              AND u.name IS NOT NULL AND b.brand_name IS DISTINCT FROM u.name
              AND NOT EXISTS (SELECT 1 FROM platform_brands o
                              WHERE o.tenant_id = b.tenant_id AND lower(o.brand_name) = lower(u.name) AND o.id <> b.id)
            """;

    /** A brand first named with a name its tenant already uses keeps its id and gets the id beside the name. */
    private static final String INSERT_RENAMED_BRANDS = """
            INSERT INTO platform_brands (id, tenant_id, brand_name)
            SELECT id, tenant, left(coalesce(name, ''), 150) || ' (' || id::text || ')'
            FROM unnest(?::uuid[], ?::uuid[], ?::text[]) AS u(id, tenant, name)
            WHERE NOT EXISTS (SELECT 1 FROM platform_brands b WHERE b.id = u.id)
            ON CONFLICT DO NOTHING
            RETURNING id
            """;

    private static final String INSERT_METRICS = """
            INSERT INTO usage_metrics (idempotency_key, occurred_at, tenant_id, user_id, brand_id, provider, model,
                                       input_tokens, output_tokens, cost_usd, bigquery_storage_gb, error_count)
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[],
                                 ?::bigint[], ?::bigint[], ?::numeric[], ?::numeric[], ?::int[])
            ON CONFLICT (idempotency_key, tenant_id) DO NOTHING
            RETURNING idempotency_key, tenant_id
            """;

    private static final String MARK_DIRTY = "INSERT INTO usage_dirty_days (day) SELECT unnest(?::date[])";

    private final Database database;
    private final ErasedPeople erased;

    public UsageWriter(Database database, ErasedPeople erased) {
        this.database = database;
        this.erased = erased;
    }

    /** What a write did: each record's outcome, and how many named an erased person (stored without the email). */
    public record Outcome(Written[] written, int emailsSuppressed) {
    }

    /** What became of one record. */
    public enum Written {
        CREATED,
        /** A record of its tenant with its key is stored, or came earlier in the same list. */
        DUPLICATE,
        /** Its brand_id is a brand of another tenant (stored, or named first by another tenant earlier in the list). */
        BRAND_OF_ANOTHER_TENANT,
        /** It falls on a UTC day whose raw records are past their retention and gone: that day's rollup is final. */
        DAY_PAST_RETENTION
    }

    /** A record's identity: keys are unique per tenant. */
    private record Key(UUID tenantId, String idempotencyKey) {
        static Key of(UsageRecord r) {
            return new Key(r.tenantId(), r.idempotencyKey());
        }
    }

    /**
     * Stores the records; answers, in their order, what became of each. A record naming an erased person's email
     * is stored without it: the tenant's usage still counts, the person is not named again.
     */
    public Outcome write(List<UsageRecord> records) {
        if (records.isEmpty()) {
            return new Outcome(new Written[0], 0);
        }
        return database.transaction(connection -> {
            Set<String> gone = erased.erased(connection, records.stream().map(UsageRecord::userEmail)
                    .filter(java.util.Objects::nonNull).toList());
            if (gone.isEmpty()) {
                return new Outcome(write(connection, records), 0);
            }
            int suppressed = 0;
            List<UsageRecord> kept = new java.util.ArrayList<>(records.size());
            for (UsageRecord r : records) {
                if (r.userEmail() != null && gone.contains(r.userEmail())) {
                    suppressed++;
                    kept.add(r.withoutEmail());
                } else {
                    kept.add(r);
                }
            }
            return new Outcome(write(connection, kept), suppressed);
        });
    }

    private Written[] write(Connection connection, List<UsageRecord> records) throws SQLException {
        Set<Key> known = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(KNOWN_KEYS)) {
            select.setArray(1, text(connection, records, UsageRecord::idempotencyKey));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    known.add(new Key(rs.getObject(2, UUID.class), rs.getString(1)));
                }
            }
        }
        // The first record of each new key, in order: later ones with the same key are duplicates of it.
        Map<Key, UsageRecord> fresh = new java.util.LinkedHashMap<>();
        for (UsageRecord r : records) {
            if (!known.contains(Key.of(r))) {
                fresh.putIfAbsent(Key.of(r), r);
            }
        }
        Set<Key> refused = new HashSet<>();
        Set<Key> pastRetention = new HashSet<>();
        Set<Key> inserted = new HashSet<>();
        java.time.LocalDate retainedFrom = fresh.isEmpty() ? null : UsageRecordRetention.retainedFrom(connection);
        if (retainedFrom != null) {
            fresh.values().removeIf(r -> r.day().isBefore(retainedFrom) && pastRetention.add(Key.of(r)));
        }
        if (!fresh.isEmpty()) {
            Map<UUID, UUID> owners = brandOwners(connection, fresh.values().stream().map(UsageRecord::brandId)
                    .filter(java.util.Objects::nonNull).distinct().toArray());
            Set<UUID> newBrands = new HashSet<>();
            for (UsageRecord r : fresh.values()) {
                if (r.brandId() != null) {
                    if (!owners.containsKey(r.brandId())) {
                        newBrands.add(r.brandId());
                    }
                    // A brand none owns yet is the first naming tenant's.
                    if (!owners.computeIfAbsent(r.brandId(), id -> r.tenantId()).equals(r.tenantId())) {
                        refused.add(Key.of(r));
                    }
                }
            }
            List<UsageRecord> list = fresh.values().stream().filter(r -> !refused.contains(Key.of(r))).toList();
            Set<UUID> created = upsertNamed(connection, list);
            newBrands.removeAll(created);
            if (!newBrands.isEmpty()) {
                // Another batch created one of them meanwhile: its owner is whoever that batch named.
                Map<UUID, UUID> raced = brandOwners(connection, newBrands.toArray());
                list.stream().filter(r -> r.brandId() != null && raced.containsKey(r.brandId())
                        && !raced.get(r.brandId()).equals(r.tenantId())).forEach(r -> refused.add(Key.of(r)));
                list = list.stream().filter(r -> !refused.contains(Key.of(r))).toList();
            }
            inserted = insert(connection, list);
            markDirty(connection, list, inserted);
        }
        Written[] written = new Written[records.size()];
        Set<Key> answered = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            Key key = Key.of(records.get(i));
            boolean first = answered.add(key);
            written[i] = first && pastRetention.contains(key) ? Written.DAY_PAST_RETENTION
                    : first && refused.contains(key) ? Written.BRAND_OF_ANOTHER_TENANT
                    : first && inserted.contains(key) ? Written.CREATED : Written.DUPLICATE;
        }
        return written;
    }

    private static Map<UUID, UUID> brandOwners(Connection connection, Object[] brandIds) throws SQLException {
        Map<UUID, UUID> owners = new HashMap<>();
        if (brandIds.length == 0) {
            return owners;
        }
        try (PreparedStatement select = connection.prepareStatement(BRAND_OWNERS)) {
            select.setArray(1, array(connection, brandIds));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
        return owners;
    }

    /**
     * Organizations, tenants, users and brands; sorted by id so concurrent batches lock in one order. Answers the
     * brands this batch created.
     */
    private static Set<UUID> upsertNamed(Connection connection, List<UsageRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return Set.of();
        }
        Map<UUID, String[]> organizations = new TreeMap<>();
        Map<UUID, Object[]> tenants = new TreeMap<>();
        Map<UUID, String> users = new TreeMap<>();
        Map<UUID, Object[]> brands = new TreeMap<>();
        for (UsageRecord r : records) {
            // Later records of the batch win where they name something.
            if (r.organizationId() != null) {
                organizations.merge(r.organizationId(), new String[]{r.organizationName()},
                        (a, b) -> b[0] != null ? b : a);
            }
            tenants.merge(r.tenantId(), new Object[]{r.organizationId(), r.tenantName(), r.planTier()},
                    (a, b) -> new Object[]{b[0] != null ? b[0] : a[0], b[1] != null ? b[1] : a[1], b[2] != null ? b[2] : a[2]});
            if (r.userId() != null) {
                users.merge(r.userId(), r.userEmail() == null ? "" : r.userEmail(), (a, b) -> b.isEmpty() ? a : b);
            }
            if (r.brandId() != null) {
                brands.merge(r.brandId(), new Object[]{r.tenantId(), r.brandName()}, (a, b) -> b[1] != null ? b : a);
            }
        }
        if (!organizations.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(UPSERT_ORGANIZATIONS)) {
                ps.setArray(1, array(connection, organizations.keySet().toArray()));
                ps.setArray(2, array(connection, organizations.values().stream().map(v -> v[0]).toArray()));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(UPSERT_TENANTS)) {
            ps.setArray(1, array(connection, tenants.keySet().toArray()));
            ps.setArray(2, array(connection, tenants.values().stream().map(v -> v[0]).toArray()));
            ps.setArray(3, array(connection, tenants.values().stream().map(v -> v[1]).toArray()));
            ps.setArray(4, array(connection, tenants.values().stream().map(v -> v[2]).toArray()));
            ps.executeUpdate();
        }
        if (!users.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(UPSERT_USERS)) {
                ps.setArray(1, array(connection, users.keySet().toArray()));
                ps.setArray(2, connection.createArrayOf("text",
                        users.values().stream().map(v -> v.isEmpty() ? null : v).toArray()));
                ps.executeUpdate();
            }
        }
        Set<UUID> created = new HashSet<>();
        if (!brands.isEmpty()) {
            Array ids = array(connection, brands.keySet().toArray());
            Array owners = array(connection, brands.values().stream().map(v -> v[0]).toArray());
            Array names = array(connection, brands.values().stream().map(v -> v[1]).toArray());
            for (String sql : new String[]{INSERT_BRANDS, RENAME_BRANDS, INSERT_RENAMED_BRANDS}) {
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    ps.setArray(1, ids);
                    ps.setArray(2, owners);
                    ps.setArray(3, names);
                    if (sql == RENAME_BRANDS) {
                        ps.executeUpdate();
                    } else {
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                created.add(rs.getObject(1, UUID.class));
                            }
                        }
                    }
                }
            }
        }
        return created;
    }

    private static Set<Key> insert(Connection connection, List<UsageRecord> records) throws SQLException {
        Set<Key> inserted = new HashSet<>(records.size() * 2);
        if (records.isEmpty()) {
            return inserted;
        }
        try (PreparedStatement ps = connection.prepareStatement(INSERT_METRICS)) {
            ps.setArray(1, text(connection, records, UsageRecord::idempotencyKey));
            ps.setArray(2, text(connection, records, r -> r.occurredAt().toString()));
            ps.setArray(3, array(connection, records.stream().map(UsageRecord::tenantId).toArray()));
            ps.setArray(4, array(connection, records.stream().map(UsageRecord::userId).toArray()));
            ps.setArray(5, array(connection, records.stream().map(UsageRecord::brandId).toArray()));
            ps.setArray(6, text(connection, records, UsageRecord::provider));
            ps.setArray(7, text(connection, records, UsageRecord::model));
            ps.setArray(8, array(connection, records.stream().map(UsageRecord::inputTokens).toArray()));
            ps.setArray(9, array(connection, records.stream().map(UsageRecord::outputTokens).toArray()));
            ps.setArray(10, text(connection, records, r -> r.costUsd().toPlainString()));
            ps.setArray(11, text(connection, records,
                    r -> r.bigqueryStorageGb() == null ? null : r.bigqueryStorageGb().toPlainString()));
            ps.setArray(12, connection.createArrayOf("int",
                    records.stream().map(r -> (int) r.errorCount()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(new Key(rs.getObject(2, UUID.class), rs.getString(1)));
                }
            }
        }
        return inserted;
    }

    private static void markDirty(Connection connection, List<UsageRecord> records, Set<Key> inserted)
            throws SQLException {
        TreeSet<java.time.LocalDate> days = new TreeSet<>();
        records.stream().filter(r -> inserted.contains(Key.of(r))).forEach(r -> days.add(r.day()));
        if (days.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(MARK_DIRTY)) {
            ps.setArray(1, array(connection, days.stream().map(java.sql.Date::valueOf).toArray()));
            ps.executeUpdate();
        }
    }

    /** Every array goes as text and is cast in SQL: one encoding for uuid, numeric, bigint and date. */
    private static Array array(Connection connection, Object[] values) throws SQLException {
        String[] text = new String[values.length];
        Arrays.setAll(text, i -> values[i] == null ? null : values[i].toString());
        return connection.createArrayOf("text", text);
    }

    private static <T> Array text(Connection connection, List<T> items, Function<T, String> field) throws SQLException {
        String[] values = new String[items.size()];
        Arrays.setAll(values, i -> field.apply(items.get(i)));
        return array(connection, values);
    }
}
