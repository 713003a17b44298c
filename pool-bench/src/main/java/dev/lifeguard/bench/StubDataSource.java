package dev.lifeguard.bench;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource whose connections do nothing (as HikariCP's own benchmark stubs them), so that HikariCP's
 * measurement is pool overhead only, like the other pools'.
 */
final class StubDataSource implements DataSource {

    @Override
    public Connection getConnection() {
        return stubConnection();
    }

    @Override
    public Connection getConnection(String user, String password) {
        return stubConnection();
    }

    private static Connection stubConnection() {
        return (Connection) Proxy.newProxyInstance(StubDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isValid", "getAutoCommit" -> true;
                    case "isClosed", "isReadOnly", "isWrapperFor" -> false;
                    case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
                    case "getNetworkTimeout", "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    case "toString" -> "StubConnection";
                    case "createStatement" -> stubStatement();
                    default -> null;
                });
    }

    private static Statement stubStatement() {
        return (Statement) Proxy.newProxyInstance(StubDataSource.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> false;
                    case "getQueryTimeout", "hashCode" -> 0;
                    case "isClosed" -> false;
                    default -> null;
                });
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not logged
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // no login
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("stub");
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
        return null;
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
