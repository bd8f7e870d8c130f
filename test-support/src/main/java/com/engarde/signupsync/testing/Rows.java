package com.engarde.signupsync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads what tests need to check straight from the database, not through the code under test. */
public final class Rows {

    private Rows() {
    }

    public static long count(String table) {
        return number("SELECT count(*) FROM " + table);
    }

    public static long number(String sql, Object... params) {
        Map<String, Object> row = row(sql, params);
        return ((Number) row.values().iterator().next()).longValue();
    }

    /** The first row of a query as column name to value, or an empty map. */
    public static Map<String, Object> row(String sql, Object... params) {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(rs.getMetaData().getColumnLabel(i),
                                value instanceof java.sql.Timestamp ts ? ts.toInstant() : value);
                    }
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
