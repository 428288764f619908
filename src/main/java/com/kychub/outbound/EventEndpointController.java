package com.kychub.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.kychub.http.ErrorAnswer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The fintech's webhook endpoints, for operators: where outbound events go, which of them (event type and provider
 * filters, empty for all), and the secret that signs them. The secret is answered when the endpoint is created or
 * rotated and by {@code GET .../secret}, nowhere else. The hub's own RABBITMQ endpoint is listed and its filters and
 * enabled flag may be changed, but it is created, deleted and pointed elsewhere by the hub's configuration only.
 */
@Tag(name = "Event endpoints", description = "Where the outbound events are delivered, and the deliveries")
@RestController
@RequestMapping("/api/v1/event-endpoints")
public class EventEndpointController {

    static final int MAX_URL_LENGTH = 2000;
    static final int MAX_DESCRIPTION_LENGTH = 500;
    /** The longest grace period a rotation may ask for. */
    static final Duration MAX_GRACE = Duration.ofDays(30);

    /** A new endpoint; only the URL is required. */
    public record NewEndpoint(String url, String description, List<String> eventTypes, List<String> providers,
                              Boolean enabled) {
    }

    public record Rotated(UUID id, String secret, Instant previousSecretSignsUntil) {
    }

    private final EventEndpoints endpoints;
    private final EventsProperties settings;
    /** Unlike the hub's default mapper, refuses a field it does not know: a misspelt filter must not pass for none. */
    private final ObjectReader strict;

    public EventEndpointController(EventEndpoints endpoints, EventsProperties settings, ObjectMapper json) {
        this.endpoints = endpoints;
        this.settings = settings;
        this.strict = json.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Operation(summary = "Adds an endpoint the events are delivered to")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public EventEndpoints.View create(@RequestBody JsonNode body) {
        NewEndpoint endpoint = read(body, NewEndpoint.class);
        if (endpoint.url() == null) {
            throw ErrorAnswer.badRequest("'url' is required");
        }
        return endpoints.create(validUrl(endpoint.url()), validDescription(endpoint.description()),
                valid("eventTypes", endpoint.eventTypes(), EventTypes.ALL),
                valid("providers", endpoint.providers(), EventTypes.PROVIDERS),
                endpoint.enabled() == null || endpoint.enabled());
    }

    @GetMapping
    public List<EventEndpoints.View> list() {
        return endpoints.list();
    }

    @GetMapping("/{id}")
    public EventEndpoints.View find(@PathVariable UUID id) {
        return existing(id);
    }

    /** Changes the fields given; a field left out (or null) stays as it is. */
    @ApiResponse(responseCode = "200", description = "the endpoint as changed")
    @ApiResponse(responseCode = "409", description = "the RABBITMQ endpoint's URL is the hub's configuration")
    @PatchMapping("/{id}")
    public EventEndpoints.View update(@PathVariable UUID id, @RequestBody JsonNode body) {
        EventEndpoints.Change change = read(body, EventEndpoints.Change.class);
        EventEndpoints.View endpoint = existing(id);
        if (change.url() != null && EventEndpoints.RABBITMQ.equals(endpoint.kind())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "the RABBITMQ endpoint's URL is the hub's configuration (kyc.events.rabbitmq-uri)");
        }
        EventEndpoints.Change valid = new EventEndpoints.Change(
                change.url() == null ? null : validUrl(change.url()), validDescription(change.description()),
                change.eventTypes() == null ? null : valid("eventTypes", change.eventTypes(), EventTypes.ALL),
                change.providers() == null ? null : valid("providers", change.providers(), EventTypes.PROVIDERS),
                change.enabled());
        return endpoints.update(id, valid).orElseThrow(() -> notFound(id));
    }

    @ApiResponse(responseCode = "409", description = "the RABBITMQ endpoint is the hub's configuration")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable UUID id) {
        if (EventEndpoints.RABBITMQ.equals(existing(id).kind())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "the RABBITMQ endpoint is the hub's configuration: disable it, or unset kyc.events.rabbitmq-uri");
        }
        if (!endpoints.delete(id)) {
            throw notFound(id);
        }
    }

    /** The secret, and the previous one while it still signs. */
    @Operation(summary = "The endpoint's signing secrets")
    @GetMapping("/{id}/secret")
    public EventEndpoints.Secrets secret(@PathVariable UUID id) {
        return endpoints.secrets(id).orElseThrow(() -> notFound(id));
    }

    /**
     * A new secret. The current one keeps signing beside it for {@code graceSeconds} (default
     * {@code kyc.events.secret-grace}), while the receiver moves to the new one; 0 retires it at once.
     */
    @Operation(summary = "A new signing secret, the old one signing beside it for a while")
    @ApiResponse(responseCode = "200", description = "the new secret")
    @ApiResponse(responseCode = "409", description = "the RABBITMQ endpoint signs nothing")
    @PostMapping("/{id}/secret/rotate")
    public Rotated rotate(@PathVariable UUID id, @RequestParam(required = false) Long graceSeconds) {
        Duration grace = graceSeconds == null ? settings.secretGrace() : Duration.ofSeconds(graceSeconds);
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ErrorAnswer.badRequest("'graceSeconds' must be 0 to " + MAX_GRACE.toSeconds());
        }
        if (EventEndpoints.RABBITMQ.equals(existing(id).kind())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the RABBITMQ endpoint signs nothing");
        }
        EventEndpoints.Secrets rotated = endpoints.rotate(id, Instant.now().plus(grace))
                .orElseThrow(() -> notFound(id));
        return new Rotated(id, rotated.secret(), rotated.previousSecretUntil());
    }

    private EventEndpoints.View existing(UUID id) {
        return endpoints.find(id).orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(UUID id) {
        return ErrorAnswer.notFound("no event endpoint " + id);
    }

    private <T> T read(JsonNode body, Class<T> type) {
        if (body == null || !body.isObject()) {
            throw ErrorAnswer.badRequest("the body must be a JSON object");
        }
        try {
            return strict.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw ErrorAnswer.badRequest("'" + e.getPropertyName() + "' is not a field of an event endpoint; the "
                    + "fields are url, description, eventTypes, providers, enabled");
        } catch (Exception e) {
            throw ErrorAnswer.badRequest("the body is not the JSON this endpoint takes");
        }
    }

    /**
     * An absolute http(s) URL with a host, {@code https} unless {@code kyc.events.allow-http}; no credentials (they
     * would be shown to every operator who lists endpoints: the secret is how a receiver knows the hub) and no
     * fragment.
     */
    String validUrl(String url) {
        if (url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw ErrorAnswer.badRequest("'url' must be 1 to " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ErrorAnswer.badRequest("'url' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ErrorAnswer.badRequest("'url' must be an absolute http(s) URL with a host");
        }
        if (scheme.equals("http") && !settings.allowHttp()) {
            throw ErrorAnswer.badRequest("'url' must be https (kyc.events.allow-http is off)");
        }
        if (uri.getRawUserInfo() != null) {
            throw ErrorAnswer.badRequest("'url' must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw ErrorAnswer.badRequest("'url' must not have a fragment");
        }
        return url;
    }

    private static String validDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw ErrorAnswer.badRequest("'description' must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return description;
    }

    /** The values, each one of the known ones, without repeats; empty means all. */
    private static List<String> valid(String field, List<String> values, List<String> known) {
        if (values == null) {
            return List.of();
        }
        if (values.stream().anyMatch(value -> value == null || !known.contains(value))) {
            throw ErrorAnswer.badRequest("'" + field + "' must hold only " + known);
        }
        return values.stream().distinct().toList();
    }
}
