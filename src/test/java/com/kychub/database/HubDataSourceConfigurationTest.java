package com.kychub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.kychub.KycProperties;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * What the database choice promises beyond picking a server: no PostgreSQL error detail (which quotes a row's values)
 * in the messages of the hub's connections, whatever URL the operator gives, and an embedded server that is durable.
 * On the local PostgreSQL (the tests run as root), database {@code <test database>_datasource}.
 */
class HubDataSourceConfigurationTest {

    private static final String DATABASE = System.getProperty("kyc.test.database", "kyc_hub_test") + "_datasource";
    private static final String EMAIL = "ada.lovelace@example.org";
    private static final String NAME = "Ada Lovelace";

    private final HubDataSourceConfiguration configuration = new HubDataSourceConfiguration();
    private HikariDataSource dataSource;

    @AfterEach
    void close() throws Exception {
        if (dataSource != null) {
            dataSource.close();
        }
        configuration.destroy();
    }

    @Test
    void theLocalServersConstraintViolationsQuoteNoValues() throws SQLException {
        dataSource = dataSource(Map.of("kyc.db.local-database", DATABASE));

        assertViolationsQuoteNoValues(dataSource);
    }

    @Test
    void aUrlAskingForServerErrorDetailStillGetsNone() throws SQLException {
        // The local server's database exists once the hub has made it (the other test, or this call).
        dataSource(Map.of("kyc.db.local-database", DATABASE)).close();
        dataSource = dataSource(Map.of(
                "kyc.db.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE + "?logServerErrorDetail=true",
                "kyc.db.user", "postgres"));

        assertViolationsQuoteNoValues(dataSource);
    }

    /** The server does send the detail: without the hub's setting, the same violation quotes the row. */
    @Test
    void aPlainConnectionWouldQuoteTheRow() throws SQLException {
        dataSource(Map.of("kyc.db.local-database", DATABASE)).close();
        try (Connection plain = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                "postgres", null)) {
            createPeople(plain);
            assertThatThrownBy(() -> insert(plain, EMAIL, NAME)).hasMessageContaining("Key (")
                    .hasMessageContaining(EMAIL);
        }
    }

    @Test
    void theEmbeddedServerIsDurableAndLogsNoDetail() {
        // Embedded PostgreSQL refuses to start as root, where the tests run: what it is started with is checked.
        @SuppressWarnings("unchecked")
        Map<String, String> settings = (Map<String, String>) ReflectionTestUtils.getField(
                HubDataSourceConfiguration.embeddedPostgres(Path.of("target/unused"), 54329), "config");

        assertThat(settings).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on")
                .containsEntry("full_page_writes", "on").containsEntry("log_error_verbosity", "terse");
    }

    private static void assertViolationsQuoteNoValues(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            createPeople(connection);
            assertThatThrownBy(() -> insert(connection, EMAIL, NAME))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("duplicate key value violates unique constraint")
                    .hasMessageNotContaining("Key (").hasMessageNotContaining(EMAIL)
                    .hasMessageNotContaining(NAME);
            assertThatThrownBy(() -> insert(connection, "grace.hopper@example.org", null))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("violates not-null constraint")
                    .hasMessageNotContaining("Failing row contains")
                    .hasMessageNotContaining("grace.hopper@example.org");
        }
    }

    /** A table of the session's own, holding one row. */
    private static void createPeople(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("create temporary table people (email text primary key, name text not null)");
        }
        insert(connection, EMAIL, NAME);
    }

    private static void insert(Connection connection, String email, String name) throws SQLException {
        try (var insert = connection.prepareStatement("insert into people (email, name) values (?, ?)")) {
            insert.setString(1, email);
            insert.setString(2, name);
            insert.executeUpdate();
        }
    }

    private HikariDataSource dataSource(Map<String, String> settings) throws SQLException {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("kyc.db.url", "");
        all.putIfAbsent("kyc.db.embedded-data-directory", "target/embedded-postgres");
        KycProperties properties = new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("kyc", KycProperties.class);
        try {
            return (HikariDataSource) configuration.dataSource(properties);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
