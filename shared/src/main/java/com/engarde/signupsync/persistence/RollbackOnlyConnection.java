package com.engarde.signupsync.persistence;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A connection whose work is never kept: it stays in a transaction whatever the caller asks (autocommit off),
 * {@code commit()} rolls back, and so do {@code setReadOnly} (PostgreSQL changes it only between transactions)
 * and {@code close()} before handing the connection back. Sequences still
 * advance (PostgreSQL never rolls them back), which leaves gaps in ids and nothing else.
 */
final class RollbackOnlyConnection implements InvocationHandler {

    private final Connection connection;

    private RollbackOnlyConnection(Connection connection) {
        this.connection = connection;
    }

    static Connection wrap(Connection connection) throws java.sql.SQLException {
        connection.setAutoCommit(false);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new RollbackOnlyConnection(connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        try {
            switch (method.getName()) {
                case "setAutoCommit" -> {
                    return null;
                }
                case "commit" -> {
                    connection.rollback();
                    return null;
                }
                case "setReadOnly" -> {
                    // PostgreSQL takes it only between transactions, and with autocommit off there is always one.
                    connection.rollback();
                    connection.setReadOnly((Boolean) args[0]);
                    return null;
                }
                case "close" -> {
                    if (!connection.isClosed()) {
                        connection.rollback();
                    }
                    connection.close();
                    return null;
                }
                default -> {
                    return method.invoke(connection, args);
                }
            }
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
