package com.kychub.database;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import com.kychub.KycProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Chooses the PostgreSQL the hub uses, so that the run command needs no setup:
 * <ol>
 * <li>{@code KYC_DB_URL} (with {@code KYC_DB_USER}, {@code KYC_DB_PASSWORD}) when set;</li>
 * <li>otherwise, for an ordinary user, an embedded PostgreSQL (zonky) whose data survives restarts;</li>
 * <li>otherwise, as root (containers, CI), where embedded PostgreSQL refuses to run, the local server on
 * 127.0.0.1:5432 with a database of the hub's own, created if missing.</li>
 * </ol>
 * Every connection the hub opens, whichever the choice, has pgjdbc's {@code logServerErrorDetail} off: a constraint
 * violation's detail ({@code Key (email)=(...)}, {@code Failing row contains (...)}) quotes the row's values, and the
 * exception message goes to logs and {@code last_error}.
 */
@Configuration(proxyBeanMethods = false)
public class HubDataSourceConfiguration implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HubDataSourceConfiguration.class);

    private EmbeddedPostgres embedded;

    @Bean
    public DataSource dataSource(KycProperties properties) throws IOException, SQLException {
        KycProperties.Db db = properties.db();
        HikariConfig config = new HikariConfig();
        config.setPoolName("kyc-hub");
        config.setMaximumPoolSize(16);
        // Idle connections go back to the server: several hubs (or test contexts) share its max_connections.
        config.setMinimumIdle(2);
        config.setIdleTimeout(Duration.ofSeconds(60).toMillis());
        // A database that is down must not block start-up: the pool reconnects when it comes back.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(db.connectionTimeout().toMillis());
        String url;
        if (StringUtils.hasText(db.url())) {
            url = db.url();
            config.setUsername(db.user());
            config.setPassword(db.password());
            log.info("Database: {} (from KYC_DB_URL)", withoutCredentials(db.url()));
        } else if (!"root".equals(System.getProperty("user.name"))) {
            Path dataDirectory = Path.of(StringUtils.hasText(db.embeddedDataDirectory())
                    ? db.embeddedDataDirectory()
                    : System.getProperty("user.home") + "/.kyc-hub/postgres");
            embedded = embeddedPostgres(dataDirectory, db.embeddedPort()).start();
            String server = "jdbc:postgresql://127.0.0.1:" + db.embeddedPort() + "/";
            createDatabaseIfMissing(server + "postgres", "postgres", db.localDatabase());
            url = server + db.localDatabase();
            config.setUsername("postgres");
            log.info("Database: embedded PostgreSQL on port {}, data in {}, database {}",
                    db.embeddedPort(), dataDirectory, db.localDatabase());
        } else {
            String server = "jdbc:postgresql://" + db.localHost() + ":" + db.localPort() + "/";
            createDatabaseIfMissing(server + "postgres", db.localUser(), db.localDatabase());
            url = server + db.localDatabase();
            config.setUsername(db.localUser());
            log.info("Database: local PostgreSQL {}:{}, database {} (running as root, where embedded PostgreSQL "
                    + "refuses to start)", db.localHost(), db.localPort(), db.localDatabase());
        }
        config.setDataSource(withoutServerErrorDetail(url));
        return new HikariDataSource(config);
    }

    /**
     * pgjdbc's own DataSource for that URL, with {@code logServerErrorDetail} off. Set after the URL, it outranks a
     * {@code logServerErrorDetail=true} the URL may carry: the setting holds whatever URL the operator gives.
     */
    static PGSimpleDataSource withoutServerErrorDetail(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(url);
        source.setLogServerErrorDetail(false);
        return source;
    }

    /**
     * The embedded PostgreSQL, durable: its data outlives restarts and the hub answers 2xx once a webhook is
     * committed, so a commit must survive a crash. zonky's defaults are a test database's (it starts the server with
     * {@code -F}, fsync off, and {@code synchronous_commit=off}); each {@code -c} setting comes after {@code -F} on
     * the command line and wins. The server's log goes into the hub's log: terse, it leaves out the DETAIL lines
     * that quote a failing row's values.
     */
    static EmbeddedPostgres.Builder embeddedPostgres(Path dataDirectory, int port) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("log_error_verbosity", "terse");
    }

    private static void createDatabaseIfMissing(String maintenanceUrl, String user, String database)
            throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("kyc.db.local-database must be a plain lowercase identifier");
        }
        try (Connection connection = withoutServerErrorDetail(maintenanceUrl).getConnection(user, null);
             PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + database);
                log.info("Created database {}", database);
            } catch (SQLException e) {
                // Another instance created it between our check and our create.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password|user)=[^&]*", "$1=***");
    }

    @Override
    public void destroy() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
