package com.kychub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.FuzzInputs.Request;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Bad input against every webhook and hub API endpoint: thousands of malformed bodies, wrong content types and
 * methods, bodies around the size limit, bad and replayed credentials, unicode oddities and fuzzed path variables
 * ({@link FuzzInputs}). Every answer must be below 500, every 4xx must say why in the hub's error shape, every 2xx of
 * a webhook must name an inbox message holding exactly the bytes sent, and nothing refused may be stored. At the end
 * the hub is healthy and still takes and processes a normal webhook.
 * <p>
 * {@code -Dkyc.fuzz.seed=N} replays a run (every failure names its seed), {@code -Dkyc.fuzz.requests=N} sets its
 * length (default 3000).
 */
class FuzzIntegrationTest extends HubIntegrationTest {

    private static final long SEED = Long.getLong("kyc.fuzz.seed", new Random().nextLong());
    private static final int REQUESTS = Integer.getInteger("kyc.fuzz.requests", 3000);
    private static final int MAX_REPORTED = 25;
    private static final Function<byte[], String> PREVIEW = FuzzInputs.preview(300);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Inbox id of every message the hub acknowledged as accepted, with the bytes the test sent. */
    private final Map<Long, byte[]> accepted = new HashMap<>();
    private final Map<Long, String> acceptedProvider = new HashMap<>();
    private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    private final Map<String, Integer> failureKinds = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Long> slowest = new HashMap<>();

    @Autowired
    private KycProperties properties;

    private record Answer(int status, String contentType, byte[] body, String error) {
    }

    @Test
    void everyEndpointAnswersBadInputWithAClear4xxAndLosesNothingItAccepted() {
        System.out.printf("Fuzz run: seed %d, %d requests (-Dkyc.fuzz.seed=%d -Dkyc.fuzz.requests=%d)%n",
                SEED, REQUESTS, SEED, REQUESTS);
        FuzzInputs.Known known = new FuzzInputs.Known();
        FuzzInputs inputs = new FuzzInputs(new Random(SEED), keys(),
                (int) properties.inbox().maxBodySize().toBytes(), (int) properties.api().maxBodySize().toBytes(),
                known);
        seed(known);

        long started = System.nanoTime();
        int sent = 0;
        while (sent < REQUESTS) {
            List<Request> scenario = inputs.next();
            List<Long> ids = new ArrayList<>();
            for (Request request : scenario) {
                long before = System.nanoTime();
                Answer answer = send(request);
                long millis = Duration.ofNanos(System.nanoTime() - before).toMillis();
                slowest.merge(request.endpoint() + " | " + request.family(), millis, Math::max);
                sent++;
                count(request, answer);
                check(sent, request, answer, ids);
                learn(request, answer, known);
            }
        }
        long seconds = Math.max(1, Duration.ofNanos(System.nanoTime() - started).toSeconds());
        System.out.printf("Fuzz run: %d requests in %d s; %d failures%n%s", sent, seconds, failures.size(),
                table());
        System.out.println("Fuzz run: slowest " + slowest.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> e.getKey() + " " + e.getValue() + " ms").toList());

        assertThat(failures.size()).as(report(sent)).isZero();
        theHubIsStillWell();
    }

    // ------------------------------------------------------------------------------------------- the checks

    private void check(int index, Request request, Answer answer, List<Long> scenarioIds) {
        List<String> problems = new ArrayList<>();
        if (answer.error() != null) {
            problems.add("no answer: " + answer.error());
            scenarioIds.add(null);
        } else {
            if (answer.status() >= 500 && !request.expect().statuses().contains(answer.status())) {
                // Only the two protocol answers RFC 9112 prescribes (501, 505) are ever expected.
                problems.add("server error " + answer.status());
            }
            if (!request.expect().statuses().isEmpty() && !request.expect().statuses().contains(answer.status())) {
                problems.add("expected " + request.expect().statuses() + ", got " + answer.status());
            }
            if (answer.status() >= 400 && !request.method().equals("HEAD")) {
                problems.addAll(errorShape(answer));
            }
            if (request.isWebhook() && request.method().equals("POST") && answer.status() / 100 == 2) {
                problems.addAll(acknowledgement(request, answer, scenarioIds));
            } else {
                scenarioIds.add(null);
            }
        }
        problems.addAll(nothingElseStored());
        if (!problems.isEmpty()) {
            String kind = request.endpoint() + " | " + request.family() + " | " + problems.get(0)
                    .replaceAll(":.*", "").replaceAll("\\d+", "N");
            failureKinds.merge(kind, 1, Integer::sum);
            failures.add(describe(index, request, answer, problems));
        }
    }

    /**
     * The hub's error shape, for every 4xx (and the two 5xx of malformed HTTP): a problem (RFC 9457) with its title,
     * status and detail, as application/problem+json.
     */
    private static List<String> errorShape(Answer answer) {
        JsonNode body = parse(answer.body());
        if (body == null || !body.isObject()) {
            return List.of("error without a JSON error body");
        }
        List<String> problems = new ArrayList<>();
        if (!body.path("detail").isTextual() || body.path("detail").asText().isBlank()) {
            problems.add("error without a detail");
        }
        if (!body.path("title").isTextual() || body.path("title").asText().isBlank()) {
            problems.add("error without a title");
        }
        if (body.path("status").asInt() != answer.status()) {
            problems.add("error whose status is not the answer's");
        }
        if (answer.contentType() == null || !answer.contentType().startsWith("application/problem+json")) {
            problems.add("error answered as " + answer.contentType());
        }
        return problems;
    }

    /**
     * A 2xx to a webhook names the inbox message: a new one holding exactly the bytes sent, or, for a duplicate, one
     * this run had accepted before for the same provider and the same message.
     */
    private List<String> acknowledgement(Request request, Answer answer, List<Long> scenarioIds) {
        JsonNode body = parse(answer.body());
        if (body == null || !body.path("id").canConvertToLong() || !body.path("status").isTextual()) {
            scenarioIds.add(null);
            return List.of("2xx without {status, id}");
        }
        long id = body.get("id").asLong();
        String status = body.get("status").asText();
        scenarioIds.add(id);
        List<String> problems = new ArrayList<>();
        if (request.expect().ack() != null && !request.expect().ack().equals(status)) {
            problems.add("expected " + request.expect().ack() + ", got " + status);
        }
        if (request.expect().sameIdAs() >= 0 && !Long.valueOf(id).equals(scenarioIds.get(request.expect().sameIdAs()))) {
            problems.add("the duplicate names message " + id + ", not " + scenarioIds.get(request.expect().sameIdAs()));
        }
        Map<String, Object> row = jdbc.queryForList("select provider, body from inbound_message where id = ?", id)
                .stream().findFirst().orElse(null);
        if (row == null) {
            problems.add("acknowledged message " + id + " is not in the inbox");
            return problems;
        }
        byte[] stored = ((String) row.get("body")).getBytes(StandardCharsets.UTF_8);
        if (status.equals("accepted")) {
            if (accepted.containsKey(id)) {
                problems.add("message " + id + " acknowledged as new twice");
            }
            if (!Arrays.equals(stored, request.body())) {
                problems.add("stored body differs from the bytes sent: " + PREVIEW.apply(stored));
            }
            if (!request.provider().equals(row.get("provider"))) {
                problems.add("stored under provider " + row.get("provider"));
            }
            accepted.put(id, request.body());
            acceptedProvider.put(id, request.provider());
        } else if (status.equals("duplicate")) {
            if (!accepted.containsKey(id) || !request.provider().equals(acceptedProvider.get(id))) {
                problems.add("duplicate of message " + id + ", which this run never delivered");
            } else if (!sameMessage(request.provider(), accepted.get(id), request.body())) {
                problems.add("a different message was answered as a duplicate of " + id + ": "
                        + PREVIEW.apply(accepted.get(id)));
            }
        } else {
            problems.add("unknown acknowledgement " + status);
        }
        return problems;
    }

    /** Ondato deduplicates on the envelope id; the others on the message's content, whatever its formatting. */
    private static boolean sameMessage(String provider, byte[] first, byte[] again) {
        JsonNode a = parse(first);
        JsonNode b = parse(again);
        if (a == null || b == null) {
            return false;
        }
        if (provider.equals("ondato")) {
            return envelopeId(a) != null && envelopeId(a).equals(envelopeId(b));
        }
        return a.equals(b);
    }

    private static JsonNode envelopeId(JsonNode envelope) {
        for (var fields = envelope.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase("id")) {
                return field.getValue();
            }
        }
        return null;
    }

    /** Every webhook message in the inbox is one this run got a 2xx for. */
    private List<String> nothingElseStored() {
        Integer stored = jdbc.queryForObject("select count(*) from inbound_message where channel = 'WEBHOOK'",
                Integer.class);
        return stored == accepted.size() ? List.of()
                : List.of("the inbox holds " + stored + " webhooks, the run had " + accepted.size() + " accepted");
    }

    private void theHubIsStillWell() {
        HttpResponse<String> health = get("/actuator/health", Map.of());
        assertThat(health.statusCode()).as("health after the run, seed %d", SEED).isEqualTo(200);
        assertThat(readJson(health.body()).path("status").asText()).isEqualTo("UP");

        Map<Long, String> stored = new HashMap<>();
        jdbc.query("select id, body from inbound_message where channel = 'WEBHOOK'",
                row -> {
                    stored.put(row.getLong("id"), row.getString("body"));
                });
        assertThat(stored.keySet()).as("inbox webhooks vs. acknowledged, seed %d", SEED)
                .containsExactlyInAnyOrderElementsOf(accepted.keySet());
        stored.forEach((id, body) -> assertThat(body.getBytes(StandardCharsets.UTF_8))
                .as("stored body of message %d, seed %d", id, SEED).isEqualTo(accepted.get(id)));

        // Every accepted message is worked off: processed, or kept as failed or dead; none holds a worker up.
        await().atMost(Duration.ofSeconds(Math.max(60, REQUESTS / 200))).until(() -> jdbc.queryForObject(
                "select count(*) from inbound_message where state = 'ACCEPTED'", Integer.class) == 0);
        System.out.println("Fuzz run: inbox states " + jdbc.queryForList(
                "select provider || ' ' || state || ' ' || count(*) from inbound_message group by provider, state "
                        + "order by 1", String.class));
        // Nothing here is transient (no outage, the stub providers answer at once): a DEAD message is one the
        // worker kept retrying although it could never succeed, a processing crash.
        assertThat(jdbc.queryForList("select id || ' ' || provider || ': ' || last_error from inbound_message "
                + "where state = 'DEAD'", String.class)).as("dead messages, seed %d", SEED).isEmpty();
        // The door parsed every accepted body as JSON; the worker must read it as JSON too.
        assertThat(jdbc.queryForList("select id || ' ' || provider || ': ' || last_error from inbound_message "
                + "where last_error like '%JsonParseException%'", String.class))
                .as("accepted bodies the worker could not parse, seed %d", SEED).isEmpty();
        // Made-up webhook paths and providers must not add meters (memory) to the hub.
        assertThat(readJson(operatorApi("/actuator/metrics/kyc.inbox.messages").body()).at("/availableTags")
                .findValues("values").stream().filter(values -> values.toString().contains("striga"))
                .flatMap(values -> java.util.stream.StreamSupport.stream(values.spliterator(), false))
                .map(JsonNode::asText).toList())
                .as("provider tags of kyc.inbox.messages").isSubsetOf("striga", "connectfi", "argos", "ondato",
                        "width", "unknown");

        String user = "fuzz-after-" + SEED;
        HttpResponse<String> normal = postStriga("{\"userId\":\"" + user + "\",\"status\":\"APPROVED\"}");
        assertThat(normal.statusCode()).as("a normal webhook after the run, seed %d", SEED).isEqualTo(200);
        awaitCase("striga", user, "APPROVED", "NONE");
    }

    // ---------------------------------------------------------------------------------------- the plumbing

    /** A few real customers and a real case, so that path variables sometimes name something that exists. */
    private void seed(FuzzInputs.Known known) {
        for (int n = 0; n < 3; n++) {
            String customer = "fuzz-customer-" + n;
            assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"" + customer + "\"}").statusCode())
                    .isEqualTo(201);
            known.customers.add(customer);
        }
        postStriga("{\"userId\":\"fuzz-customer-0\",\"status\":\"PENDING_REVIEW\"}");
        known.cases.add(awaitCase("striga", "fuzz-customer-0", "IN_REVIEW", null).get("id").asText());
        jdbc.query("select id, provider, body from inbound_message where channel = 'WEBHOOK'", row -> {
            accepted.put(row.getLong("id"), row.getString("body").getBytes(StandardCharsets.UTF_8));
            acceptedProvider.put(row.getLong("id"), row.getString("provider"));
        });
    }

    private void learn(Request request, Answer answer, FuzzInputs.Known known) {
        JsonNode body = answer.error() == null ? parse(answer.body()) : null;
        if (body == null) {
            return;
        }
        if (request.isWebhook() && body.path("id").canConvertToLong() && known.inboxIds.size() < 100) {
            known.inboxIds.add(body.get("id").asLong());
        }
        if (answer.status() == 201 && body.path("customerId").isTextual() && known.customers.size() < 100) {
            known.customers.add(body.get("customerId").asText());
        }
        if (answer.status() == 202 && body.path("id").isTextual() && known.cases.size() < 100) {
            known.cases.add(body.get("id").asText());
        }
    }

    private Answer send(Request request) {
        if (request.raw()) {
            return sendRaw(request.body());
        }
        HttpRequest.BodyPublisher body;
        if (request.body() == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (request.chunked()) {
            // No length known up front: the client sends the body chunked.
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()));
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(request.body());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path()))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), body);
        request.headers().forEach(header -> builder.header(header[0], header[1]));
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(-1, null, new byte[0], e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Writes the bytes to a socket as they are and reads the answer until the server closes (every such request says
     * Connection: close, and Tomcat closes after refusing one).
     */
    private Answer sendRaw(byte[] wire) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(wire);
            socket.getOutputStream().flush();
            byte[] answer = socket.getInputStream().readAllBytes();
            try {
                return parseRaw(answer);
            } catch (RuntimeException e) {
                return new Answer(-1, null, answer, "unparseable answer: " + e);
            }
        } catch (IOException e) {
            return new Answer(-1, null, new byte[0], e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Status, Content-Type and body of the last (non-1xx) response in the bytes; chunked bodies are joined. */
    private static Answer parseRaw(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        while (text.startsWith("HTTP/1.1 1")) {
            text = text.substring(text.indexOf("\r\n\r\n") + 4);
        }
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(-1, null, answer, "no HTTP answer: " + text.length() + " bytes");
        }
        String[] head = text.substring(0, end).split("\r\n");
        String body = text.substring(end + 4);
        String contentType = null;
        boolean chunked = false;
        for (String line : head) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).trim();
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        if (chunked) {
            StringBuilder joined = new StringBuilder();
            for (int at = 0; ; ) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = lineEnd < 0 ? 0 : Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                joined.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            body = joined.toString();
        }
        return new Answer(Integer.parseInt(head[0].split(" ")[1]), contentType,
                body.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    private void count(Request request, Answer answer) {
        String path = request.endpoint().substring(0, request.endpoint().lastIndexOf(' '));
        statuses.computeIfAbsent(path, e -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
    }

    private String table() {
        StringBuilder table = new StringBuilder();
        Map<Integer, Integer> total = new TreeMap<>();
        statuses.forEach((endpoint, counts) -> {
            int sum = counts.values().stream().mapToInt(Integer::intValue).sum();
            table.append(String.format("  %-50s %6d  %s%n", endpoint, sum, counts));
            counts.forEach((status, n) -> total.merge(status, n, Integer::sum));
        });
        return table.append(String.format("  %-50s %6d  %s%n", "all",
                total.values().stream().mapToInt(Integer::intValue).sum(), total)).toString();
    }

    private String report(int sent) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of("target", "fuzz-failures-" + SEED + ".txt");
            java.nio.file.Files.write(file, failures);
        } catch (IOException e) {
            // The assertion message below still has the first failures.
        }
        StringBuilder report = new StringBuilder(String.format(
                "%d of %d fuzz requests broke the rules; replay with -Dkyc.fuzz.seed=%d -Dkyc.fuzz.requests=%d%n",
                failures.size(), sent, SEED, REQUESTS));
        report.append("Kinds (endpoint | family | first problem: count):\n");
        failureKinds.forEach((kind, n) -> report.append("  ").append(kind).append(": ").append(n).append('\n'));
        report.append("First failures (all in target/fuzz-failures-" + SEED + ".txt):\n");
        failures.stream().limit(MAX_REPORTED).forEach(failure -> report.append(failure).append('\n'));
        return report.toString();
    }

    private String describe(int index, Request request, Answer answer, List<String> problems) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("seed", SEED);
        shown.put("request", index);
        shown.put("family", request.family());
        shown.put("problems", problems);
        shown.put("sent", request.method() + " " + request.path() + (request.chunked() ? " (chunked)" : ""));
        shown.put("headers", request.headers().stream().map(h -> h[0] + ": " + PREVIEW.apply(
                h[1].getBytes(StandardCharsets.ISO_8859_1))).toList());
        shown.put("body", PREVIEW.apply(request.body()));
        shown.put("answer", answer.status() + " " + answer.contentType() + " " + PREVIEW.apply(answer.body()));
        return "  " + shown;
    }

    private static FuzzInputs.Keys keys() {
        return new FuzzInputs.Keys(STRIGA_KEY, CONNECTFI_SECRET, ARGOS_WEBHOOK_SECRET, ONDATO_WEBHOOK_USER,
                ONDATO_WEBHOOK_PASSWORD, API_KEY, OPERATOR_API_KEY);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
