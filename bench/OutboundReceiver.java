import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The webhook receiver of {@code bench/outbound.sh}: a fintech's endpoint on loopback that writes down every request
 * the hub makes and answers at once.
 *
 * <p>{@code POST /webhook}: one line per request in {@code --out} (appended, so that a receiver started again after
 * an outage adds to the same file), in PostgreSQL's COPY text format, tab-separated:
 * <ol>
 * <li>received: epoch microseconds when the request's handling began;</li>
 * <li>status: the answer it got (204, or the status the receiver was told to answer);</li>
 * <li>webhook-id: the header;</li>
 * <li>case id and sequence: the payload's {@code data.caseId} and {@code data.sequence} ({@code \N} if absent);</li>
 * <li>signature: {@code t} valid, {@code f} invalid, {@code \N} not checked (no secret, or the Standard Webhooks
 * library is not on the class path);</li>
 * <li>the receiver's process id (a receiver started again after an outage has another).</li>
 * </ol>
 * A request is answered only after its line is in the file (flushed to the operating system), so that nothing the
 * hub was told is delivered goes unrecorded. Signatures are checked with the library the hub signs with
 * ({@code com.standardwebhooks.Webhook}), looked up by reflection so that the receiver also runs without it.
 *
 * <p>{@code POST /control/answer?status=503}: from now on answer every webhook with that status (204: normal again).
 * {@code GET /control/count}: the requests recorded so far.
 *
 * <pre>
 * java -cp standardwebhooks-1.3.0.jar bench/OutboundReceiver.java --port 18232 --out receipts.tsv [--threads 16]
 * </pre>
 * The endpoint's secret ({@code whsec_...}) comes from the environment, {@code RECEIVER_SECRET}.
 */
public class OutboundReceiver {

    private static final Pattern CASE_ID = Pattern.compile("\"caseId\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");

    private final BufferedWriter out;
    private final Verifier verifier;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicInteger answer = new AtomicInteger(204);
    private long recorded;

    OutboundReceiver(BufferedWriter out, Verifier verifier) {
        this.out = out;
        this.verifier = verifier;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int port = Integer.parseInt(options.getOrDefault("port", "18232"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        Path file = Path.of(options.getOrDefault("out", "receipts.tsv"));
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Verifier verifier = Verifier.of(System.getenv("RECEIVER_SECRET"));
        OutboundReceiver receiver = new OutboundReceiver(out, verifier);

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/webhook", receiver::webhook);
        server.createContext("/control/answer", receiver::setAnswer);
        server.createContext("/control/count", receiver::count);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            pool.shutdown();
            receiver.close();
        }));
        server.start();
        System.out.printf("receiver on 127.0.0.1:%d, %d threads, signatures %s, recording to %s%n", port, threads,
                verifier.enabled() ? "checked" : "NOT checked", file);
    }

    private void webhook(HttpExchange exchange) throws IOException {
        long receivedMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
        String signature = verifier.check(payload, webhookId, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"));
        int status = answer.get();
        record(String.join("\t", Long.toString(receivedMicros), Integer.toString(status), orNull(webhookId),
                orNull(first(CASE_ID, payload)), orNull(first(SEQUENCE, payload)), signature, Long.toString(pid)));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private synchronized void record(String line) throws IOException {
        out.write(line);
        out.newLine();
        out.flush();
        recorded++;
    }

    private synchronized long recorded() {
        return recorded;
    }

    private synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            System.err.println("could not close the record: " + e);
        }
    }

    private void setAnswer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        Matcher status = Pattern.compile("status=(\\d{3})").matcher(query == null ? "" : query);
        if (!status.find()) {
            send(exchange, 400, "status=<3 digits> expected\n");
            return;
        }
        answer.set(Integer.parseInt(status.group(1)));
        send(exchange, 200, "answering " + answer.get() + "\n");
    }

    private void count(HttpExchange exchange) throws IOException {
        send(exchange, 200, recorded() + "\n");
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** COPY text format: no tab, newline or backslash may pass through; null is \N. */
    private static String orNull(String value) {
        return value == null ? "\\N" : value.replaceAll("[\\t\\n\\r\\\\]", "?");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    /** The Standard Webhooks library's verify(payload, headers), if both a secret and the library are there. */
    record Verifier(Object webhook, java.lang.reflect.Method verify) {

        static Verifier of(String secret) {
            if (secret == null || secret.isBlank()) {
                return new Verifier(null, null);
            }
            try {
                Class<?> type = Class.forName("com.standardwebhooks.Webhook");
                Object webhook = type.getConstructor(String.class).newInstance(secret);
                // Declared by the library's package-private base class: callable by reflection only once made accessible.
                java.lang.reflect.Method verify = type.getMethod("verify", String.class, Map.class);
                verify.setAccessible(true);
                return new Verifier(webhook, verify);
            } catch (ClassNotFoundException e) {
                return new Verifier(null, null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the Standard Webhooks library refused the secret", e);
            }
        }

        boolean enabled() {
            return webhook != null;
        }

        String check(String payload, String id, String timestamp, String signature) {
            if (!enabled()) {
                return "\\N";
            }
            Map<String, List<String>> headers = new java.util.HashMap<>();
            if (id != null) headers.put("webhook-id", List.of(id));
            if (timestamp != null) headers.put("webhook-timestamp", List.of(timestamp));
            if (signature != null) headers.put("webhook-signature", List.of(signature));
            try {
                verify.invoke(webhook, payload, headers);
                return "t";
            } catch (ReflectiveOperationException e) {
                return "f";
            }
        }
    }
}
