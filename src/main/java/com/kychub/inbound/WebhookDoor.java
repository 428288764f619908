package com.kychub.inbound;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.StorableJson;
import com.kychub.http.ErrorAnswer;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.springframework.stereotype.Component;

/**
 * The door of the inbox, called by every provider's webhook route in {@code routes/}: {@link #receive} first,
 * then the provider's own checks, then {@link #accept}. Variables it reads and sets:
 * {@code provider} (set by the provider's route), {@code httpHeaders} (the request's HTTP headers, lowercased; the
 * stored copy has its credentials redacted), {@code dedupKey} (set by the provider's intake bean). What it refuses is
 * answered as a problem ({@link ErrorAnswer}): a 4xx is refused for good, a 503 (with Retry-After) or a 500 is to be
 * delivered again.
 */
@Component
public class WebhookDoor {

    private static final Logger log = LoggerFactory.getLogger(WebhookDoor.class);

    public static final String HTTP_HEADERS = "httpHeaders";

    private static final Set<String> REDACTED = Set.of("authorization", "proxy-authorization", "cookie");

    private final InboxWriter inbox;
    private final InboxMetrics metrics;
    private final ObjectMapper json;

    public WebhookDoor(InboxWriter inbox, InboxMetrics metrics, ObjectMapper json) {
        this.inbox = inbox;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * Checks the content type and that the body is UTF-8 text, leaves the body as the raw bytes (signatures are
     * computed over them), copies the HTTP headers into a variable and strips them, so that no header can steer a
     * later step.
     */
    public void receive(Exchange exchange) {
        Message in = exchange.getIn();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !isJson(contentType)) {
            throw new WebhookRejectedException(415, "Content-Type must be application/json");
        }
        HttpServletRequest request = in.getHeader("CamelHttpServletRequest", HttpServletRequest.class);

        // Through Tomcat, RawBodyFilter kept the bytes as read; through Vert.x (VertxWebhookDoors) they are the body.
        byte[] body = request == null ? in.getBody(byte[].class)
                : (byte[]) request.getAttribute(RawBodyFilter.RAW_BODY);
        if (body == null || body.length == 0) {
            throw WebhookRejectedException.badRequest("the body is empty");
        }
        if (!StorableJson.isUtf8(body)) {
            throw WebhookRejectedException.badRequest("the body is not UTF-8 text");
        }
        Map<String, String> headers = new TreeMap<>();
        in.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && value != null) {
                headers.put(name.toLowerCase(Locale.ROOT), value.toString());
            }
        });
        in.removeHeaders("*");
        in.setBody(body);
        exchange.setVariable(HTTP_HEADERS, headers);
    }

    /**
     * Stores the message and answers 200 once it is committed (with other webhooks arriving at the same time: see
     * {@link InboxWriter}); a duplicate is answered 200 and changes nothing.
     */
    @SuppressWarnings("unchecked")
    public void accept(Exchange exchange) throws JsonProcessingException {
        String provider = exchange.getVariable("provider", String.class);
        String dedupKey = exchange.getVariable("dedupKey", String.class);
        Map<String, String> headers = new TreeMap<>(exchange.getVariable(HTTP_HEADERS, Map.class));
        // Credentials are checked at the door and never stored.
        REDACTED.forEach(name -> headers.computeIfPresent(name, (key, value) -> "[redacted]"));
        String body = new String(exchange.getIn().getBody(byte[].class), StandardCharsets.UTF_8);
        Inbox.Stored stored = inbox.store(provider, dedupKey, json.writeValueAsString(headers), body);
        // Tomcat's threads serve the next request: the ids are the message's only until it is answered.
        MessageLogContext.message(provider, stored.id());
        try {
            if (stored.duplicate()) {
                metrics.count(provider, InboxMetrics.Outcome.DUPLICATE);
            } else {
                metrics.count(provider, InboxMetrics.Outcome.ACCEPTED);
            }
            log.debug("Webhook from {} stored as inbox message {}{}", provider, stored.id(),
                    stored.duplicate() ? " (a duplicate)" : "");
            reply(exchange, 200, "application/json", json.writeValueAsString(
                    new Acknowledgement(stored.duplicate() ? "duplicate" : "accepted", stored.id())));
        } finally {
            MessageLogContext.clear();
        }
    }

    /**
     * Answers a refused webhook with its 4xx and the reason as the problem's detail. A 4xx from the door always means
     * refused: nothing was stored, and the same delivery will be refused again.
     */
    public void refuse(Exchange exchange) {
        WebhookRejectedException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                WebhookRejectedException.class);
        metrics.count(exchange.getVariable("provider", String.class), InboxMetrics.Outcome.REJECTED);
        problem(exchange, refused.status(), refused.getMessage());
    }

    /** The store cannot be reached: 503, so the provider delivers again later. Nothing was acknowledged. */
    public void unavailable(Exchange exchange) {
        problem(exchange, 503, "the store is unavailable, deliver again later");
        exchange.getMessage().setHeader("Retry-After", "30");
    }

    public void failed(Exchange exchange) {
        problem(exchange, 500, "the message was not stored, deliver again later");
    }

    /** The answer to a stored webhook: {@code id} is the inbox message's, the same for a duplicate. */
    public record Acknowledgement(String status, long id) {
    }

    private static void problem(Exchange exchange, int status, String detail) {
        // The route's own path is the request's: platform-http matches it exactly (and the request's headers are gone).
        String path = exchange.getFromEndpoint() instanceof PlatformHttpEndpoint endpoint ? endpoint.getPath() : null;
        reply(exchange, status, ErrorAnswer.CONTENT_TYPE, ErrorAnswer.json(ErrorAnswer.of(status, detail, path)));
    }

    private static void reply(Exchange exchange, int status, String contentType, String answer) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setBody(answer);
    }

    static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }
}
