package com.engarde.signupsync.funnel;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;

/**
 * Who was erased (signup.Suppressions, reason erasure): every writer of people asks, inside its transaction, and
 * writes none of them again. Only erasure counts here; a person who merely opted out of email is still a lead.
 */
public interface ErasedPeople {

    /** Which of these emails (normal forms) belong to erased people. */
    Set<String> erased(Connection connection, Collection<String> emails) throws SQLException;
}
