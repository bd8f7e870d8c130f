package db.migration;

import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.funnel.SplitLeads;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Rewrites the emails stored under the older normal form (ASCII letters lower-cased only) into the one normal
 * form, which SQL cannot compute (case folding is Java's, V22): leads split by case are merged (SplitLeads),
 * platform admins named twice are kept once, usage users' emails are rewritten; then V22's checks are
 * validated. Java, so that the fold is the very code every writer runs; Flyway finds it in db/migration.
 */
public class V22_1__Merge_leads_split_by_case extends BaseJavaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(V22_1__Merge_leads_split_by_case.class);

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        SplitLeads.Merged merged = SplitLeads.merge(c);
        int admins = renormalize(c, "platform_admins", true);
        int users = renormalize(c, "platform_users", false);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE leads VALIDATE CONSTRAINT leads_email_normal_form");
            s.execute("ALTER TABLE platform_admins VALIDATE CONSTRAINT platform_admins_email_normal_form");
        }
        LOG.info("one email normal form: {} mailboxes had split leads, {} leads merged away, {} later conversions"
                + " superseded; {} platform admin and {} usage user emails rewritten", merged.mailboxes(),
                merged.leadsRemoved(), merged.conversionsSuperseded(), admins, users);
    }

    /**
     * Rewrites the table's emails that are not in the normal form; with {@code unique}, a row whose normal
     * form another row already holds (or an earlier row takes) is deleted: the same admin, named twice.
     */
    private static int renormalize(Connection c, String table, boolean unique) throws SQLException {
        int changed = 0;
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email FROM " + table
                     + " WHERE octet_length(email) <> length(email) ORDER BY id")) {
            while (rs.next()) {
                String form = Emails.normalize(rs.getString(2));
                if (form.equals(rs.getString(2))) {
                    continue;
                }
                changed++;
                if (unique) {
                    try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM " + table + " WHERE email = ?")) {
                        taken.setString(1, form);
                        try (ResultSet hit = taken.executeQuery()) {
                            if (hit.next()) {
                                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                                    delete.setObject(1, rs.getObject(1));
                                    delete.executeUpdate();
                                }
                                continue;
                            }
                        }
                    }
                }
                try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET email = ? WHERE id = ?")) {
                    update.setString(1, form);
                    update.setObject(2, rs.getObject(1));
                    update.executeUpdate();
                }
            }
        }
        return changed;
    }
}
