package com.kychub.provider.ondato;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * OAuth2 client-credentials tokens for the hub's calls to Ondato: one token fetched from the token URL (client id
 * and secret as form parameters) and reused until shortly before it expires (a minute, or half the lifetime of a
 * short-lived token). A token answer without {@code expires_in} is used once, never cached.
 */
public class OndatoTokens {

    private static final Duration MARGIN = Duration.ofSeconds(60);

    private final HttpClient http;
    private final Clock clock;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final ObjectMapper json = new ObjectMapper();

    private String token;
    private Instant refreshAt = Instant.MIN;

    public OndatoTokens(HttpClient http, Clock clock, String tokenUrl, String clientId, String clientSecret,
                        String scope) {
        this.http = http;
        this.clock = clock;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
    }

    /** A valid access token, fetched when none is cached or the cached one is about to expire. */
    public synchronized String token() {
        Instant now = clock.instant();
        if (token != null && now.isBefore(refreshAt)) {
            return token;
        }
        JsonNode answer = fetch();
        JsonNode accessToken = answer.path("access_token");
        if (!accessToken.isTextual() || accessToken.asText().isBlank()) {
            throw new IllegalStateException("the Ondato token endpoint answered no access_token");
        }
        long lifetime = answer.path("expires_in").asLong(0);
        if (lifetime > 0) {
            Duration margin = Duration.ofSeconds(lifetime).compareTo(MARGIN.multipliedBy(2)) < 0
                    ? Duration.ofSeconds(lifetime / 2) : MARGIN;
            token = accessToken.asText();
            refreshAt = now.plusSeconds(lifetime).minus(margin);
        } else {
            token = null;
            refreshAt = Instant.MIN;
        }
        return accessToken.asText();
    }

    private JsonNode fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // The body is not quoted: a token endpoint may echo the client's credentials.
                throw new IllegalStateException("the Ondato token endpoint answered " + response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the Ondato token endpoint cannot be reached: "
                    + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching an Ondato token", e);
        }
    }
}
