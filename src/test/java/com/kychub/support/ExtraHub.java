package com.kychub.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.kychub.KycHubApplication;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A hub of a test's own, besides the shared context of {@link HubIntegrationTest}: a real application context on a
 * random port, on a database of the test's own, for what one context cannot show (a restart, two instances of one
 * cluster, a start-up setting, a store taken away). Built with {@link #builder()}; closing it stops the hub.
 * <p>
 * The database: {@link Builder#database} names it {@code <test database>_<suffix>}, where the test database is
 * {@code -Dkyc.test.database} (default {@code kyc_hub_test}), on the local PostgreSQL when the tests run as root and
 * on an embedded PostgreSQL of the test's own otherwise (its port and data directory); {@link Builder#jdbcUrl} takes
 * an explicit server instead (another hub's database, a proxy), as user {@code postgres}.
 */
public final class ExtraHub implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ConfigurableApplicationContext context;
    private final String apiKey;
    private final String operatorKey;

    private ExtraHub(ConfigurableApplicationContext context, String apiKey, String operatorKey) {
        this.context = context;
        this.apiKey = apiKey;
        this.operatorKey = operatorKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The actuator's own port, when {@code management.server.port} is set. */
    public int managementPort() {
        return context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public CamelContext camel() {
        return bean(CamelContext.class);
    }

    public JdbcTemplate jdbc() {
        return bean(JdbcTemplate.class);
    }

    /** The database this hub uses, for a second instance to join it. */
    public String jdbcUrl() {
        return urlOf(bean(DataSource.class));
    }

    /** The JDBC URL behind the hub's pool (which connects through pgjdbc's own data source, not a URL of its own). */
    public static String urlOf(DataSource hubDataSource) {
        return ((PGSimpleDataSource) ((HikariDataSource) hubDataSource).getDataSource()).getUrl();
    }

    /** POSTs a body with the given headers. */
    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** POSTs JSON to the hub API with the hub's API key ({@link Builder#apiKey}). */
    public HttpResponse<String> apiPost(String path, String body) {
        return post(path, body, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + apiKey()));
    }

    /** GETs a hub API path with the hub's API key. */
    public HttpResponse<String> api(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().header("Authorization", "Bearer " + apiKey()).build());
    }

    /** GETs an operator path (ops endpoints, actuator) with the hub's operator key ({@link Builder#operatorKey}). */
    public HttpResponse<String> operatorApi(String path) {
        if (operatorKey == null) {
            throw new IllegalStateException("this hub was built without an operator key");
        }
        return send(HttpRequest.newBuilder(uri(path)).GET().header("Authorization", "Bearer " + operatorKey).build());
    }

    /** Stops the hub; closing it again does nothing. */
    @Override
    public void close() {
        context.close();
    }

    private String apiKey() {
        if (apiKey == null) {
            throw new IllegalStateException("this hub was built without an API key");
        }
        return apiKey;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static final class Builder {

        private final Map<String, String> properties = new LinkedHashMap<>();
        private String apiKey;
        private String operatorKey;

        private Builder() {
            properties.put("server.port", "0");
        }

        /**
         * The database {@code <test database>_<suffix>}; as a non-root user, on an embedded PostgreSQL on that port
         * with its data in {@code target/embedded-postgres-<suffix>} (underscores as dashes).
         */
        public Builder database(String suffix, int embeddedPort) {
            property("kyc.db.local-database", System.getProperty("kyc.test.database", "kyc_hub_test") + "_" + suffix);
            property("kyc.db.embedded-port", embeddedPort);
            return property("kyc.db.embedded-data-directory", "target/embedded-postgres-" + suffix.replace('_', '-'));
        }

        /** A database on a server of the test's choosing (another hub's, or one behind a proxy), as postgres. */
        public Builder jdbcUrl(String url) {
            property("kyc.db.url", url);
            return property("kyc.db.user", "postgres");
        }

        /** The Camel name, which is also the Quartz cluster's: hubs of one name on one database are one cluster. */
        public Builder name(String camelName) {
            return property("camel.main.name", camelName);
        }

        /** The hub API's key, which {@link ExtraHub#apiPost} and {@link ExtraHub#api} send. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return property("kyc.api.keys", key);
        }

        /** The operator key, which {@link ExtraHub#operatorApi} sends. */
        public Builder operatorKey(String key) {
            this.operatorKey = key;
            return property("kyc.api.operator-keys", key);
        }

        /** Whether the inbox and action workers run ({@code kyc.inbox.processing-enabled}). */
        public Builder processing(boolean enabled) {
            return property("kyc.inbox.processing-enabled", enabled);
        }

        public Builder property(String name, Object value) {
            properties.put(name, String.valueOf(value));
            return this;
        }

        public ExtraHub start() {
            List<String> args = new ArrayList<>();
            properties.forEach((name, value) -> args.add("--" + name + "=" + value));
            return new ExtraHub(new SpringApplicationBuilder(KycHubApplication.class).run(args.toArray(String[]::new)),
                    apiKey, operatorKey);
        }
    }
}
