package db.migration;

import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.PreparedStatement;
import java.util.List;

/**
 * A funnel_sources row for every declared pull source and webhook receiver, so that a new integration needs its
 * declaration and no SQL: added inactive (an admin activates it once its credentials are in), an existing row
 * left as it is. Repeatable: its checksum is the declarations', so it runs again when one is added.
 * Destinations keep having no row until their run log needs one.
 */
public class R__Declared_sources extends BaseJavaMigration {

    @Override
    public Integer getChecksum() {
        return rows().hashCode();
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (PreparedStatement insert = context.getConnection().prepareStatement("""
                INSERT INTO funnel_sources (source_type, display_name, kind, active) VALUES (?, ?, ?, false)
                ON CONFLICT (source_type) DO NOTHING""")) {
            for (Integration integration : sourced()) {
                insert.setString(1, integration.type());
                insert.setString(2, integration.displayName());
                insert.setString(3, integration.kind().sourceKind());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static List<Integration> sourced() {
        return Integrations.declared().all().stream().filter(i -> i.kind().bringsEvents()).toList();
    }

    private static List<String> rows() {
        return sourced().stream().map(i -> i.type() + "|" + i.displayName() + "|" + i.kind().sourceKind()).toList();
    }
}
