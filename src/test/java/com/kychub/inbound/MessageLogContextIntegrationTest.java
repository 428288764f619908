package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The hub's log lines as structured JSON (Spring Boot's ECS format, as {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}
 * writes them) carry the ids of the message that caused them, and only while it is being handled: a line logged after
 * it on the same pooled thread carries none of them.
 */
class MessageLogContextIntegrationTest extends HubIntegrationTest {

    private static final List<Class<?>> DEBUGGED = List.of(InboxWorker.class, WebhookDoor.class);

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;

    @BeforeEach
    void writeJsonLinesToo() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setFormat("ecs");
        encoder.setContext(logback);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(logback);
        appender.setEncoder(encoder);
        appender.setOutputStream(output);
        appender.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        DEBUGGED.forEach(type -> logback.getLogger(type).setLevel(Level.DEBUG));
    }

    @AfterEach
    void stopWritingJsonLines() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        DEBUGGED.forEach(type -> logback.getLogger(type).setLevel(null));
        Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        appender.stop();
    }

    @Test
    void theLinesAMessageCausesCarryItsIdsAndTheNextLinesOnTheThreadDoNot() {
        long first = stored(postStriga("{\"userId\":\"u-log\",\"status\":\"APPROVED\"}"));
        String caseId = awaitCase("striga", "u-log", "APPROVED", null).get("id").asText();

        JsonNode door = awaitLine(line -> line.path("message").asText()
                .equals("Webhook from striga stored as inbox message " + first));
        assertThat(door.path("messageId").asText()).isEqualTo(Long.toString(first));
        assertThat(door.path("provider").asText()).isEqualTo("striga");
        assertThat(door.at("/camel/routeId").asText()).isEqualTo("striga-webhook");

        JsonNode processed = awaitLine(line -> line.path("message").asText()
                .startsWith("Inbox message " + first + " from striga processed"));
        assertThat(processed.path("messageId").asText()).isEqualTo(Long.toString(first));
        assertThat(processed.path("provider").asText()).isEqualTo("striga");
        assertThat(processed.path("caseId").asText()).isEqualTo(caseId);
        assertThat(processed.at("/camel/routeId").asText()).isEqualTo("inbox-process-striga");
        String worker = processed.at("/process/thread/name").asText();

        // The same worker thread, once the message is settled: still in its route, with none of the message's ids.
        JsonNode drained = awaitLine(line -> line.path("message").asText().equals("Inbox of striga took 1 messages")
                && line.at("/process/thread/name").asText().equals(worker));
        assertThat(drained.has("messageId")).isFalse();
        assertThat(drained.has("provider")).isFalse();
        assertThat(drained.has("caseId")).isFalse();
        assertThat(drained.at("/camel/routeId").asText()).isEqualTo("inbox-process-striga");

        // The next message on that thread carries its own id, and not the case of the one before.
        long second = stored(postStriga("{\"userId\":\"u-log-2\",\"status\":\"NO_SUCH_STATUS\"}"));
        JsonNode failed = awaitLine(line -> line.path("message").asText()
                .startsWith("Inbox message " + second + " from striga cannot be mapped"));
        assertThat(failed.at("/process/thread/name").asText()).isEqualTo(worker);
        assertThat(failed.path("messageId").asText()).isEqualTo(Long.toString(second));
        assertThat(failed.has("caseId")).isFalse();

        // A line outside any message and any route carries none of them.
        operatorApi("/api/v1/ops/inbox/" + first + "?reveal=true");
        JsonNode revealed = awaitLine(line -> line.path("message").asText()
                .equals("operator revealed inbound message " + first));
        for (String key : List.of("messageId", "provider", "caseId", "camel")) {
            assertThat(revealed.has(key)).as(key).isFalse();
        }
    }

    private JsonNode awaitLine(Predicate<JsonNode> wanted) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Optional<JsonNode> line = lines().stream().filter(wanted).findFirst();
            line.ifPresent(value -> found[0] = value);
            return line.isPresent();
        });
        return found[0];
    }

    private List<JsonNode> lines() {
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return text.lines().filter(line -> line.startsWith("{")).map(HubIntegrationTest::readJson).toList();
    }

    private static long stored(java.net.http.HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(200);
        return readJson(answer.body()).get("id").asLong();
    }
}
