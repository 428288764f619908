package com.kychub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database of a migration test's own on the local PostgreSQL, {@code <test database>_<suffix>}, made afresh, which
 * the test migrates step by step: to the version before the migration under test, then writes the store as the older
 * release left it, then to the latest.
 */
public final class MigrationDatabase {

    private final PGSimpleDataSource source = new PGSimpleDataSource();

    public MigrationDatabase(String suffix) throws SQLException {
        String database = System.getProperty("kyc.test.database", "kyc_hub_test") + "_" + suffix;
        try (Connection server = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
                null); Statement statement = server.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        }
        source.setUrl("jdbc:postgresql://127.0.0.1:5432/" + database);
        source.setUser("postgres");
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(source);
    }

    /** Applies the migrations up to {@code target} (a version, or {@code latest}). */
    public void migrate(String target) {
        Flyway.configure().dataSource(source).locations("classpath:db/migration").target(target).load().migrate();
    }
}
