import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The recording webhook client of the proof benchmarks ({@code kill-9.sh}, {@code db-outage.sh},
 * {@code order-at-scale.sh}), and the request writer of {@code ingest.sh}. It posts signed webhooks of Striga,
 * Connect Financial, ARGOS and Ondato from concurrent keep-alive
 * workers and behaves as a provider does: a webhook that gets no answer or a non-2xx is sent again, after a back-off,
 * until it gets a 2xx. It writes down everything, so that the calling script can hold the hub's store against it:
 * <ul>
 * <li>{@code messages.tsv}: one line per distinct message: key, provider, reference (the case it is about), body;</li>
 * <li>{@code requests.tsv}: one line per request: sent and answered (epoch ms), message key, copy (0 the original,
 * 1 a duplicate delivery, 2 a duplicate re-formatted on the way), attempt, HTTP status (0: no answer), the ack it
 * carried (accepted / duplicate) and its inbox id, the transport error, the answer's body;</li>
 * <li>{@code expected.tsv} (order mode): per case, the canonical state the provider rules say it must end in.</li>
 * </ul>
 * All files are in PostgreSQL's COPY text format, ready for {@code \copy}. The file {@code started} appears when the
 * load begins. The proofs give it the webhook doors' own port ({@code kyc.webhooks.vertx-port}, the scripts' hub port
 * + 1000), where the providers are sent.
 *
 * <pre>
 * java bench/ProofClient.java stream --url http://127.0.0.1:19201 --out DIR [--providers striga,argos,ondato]
 *     [--concurrency 8] [--duration 60] [--until-file PATH] [--rate 0] [--drain 600] [--timeout 60]
 *     [--retry-delay-ms 200] [--max-retry-delay-ms 2000]
 * java bench/ProofClient.java order --url http://127.0.0.1:19221 --out DIR [--webhooks 100000]
 *     [--duplicates 0.30] [--concurrency 16] [--seed 7] [--drain 600] [--timeout 60]
 * java bench/ProofClient.java requests --out FILE [--providers striga,connectfi,argos,ondato] [--count 100000]
 * </pre>
 * stream: each worker posts new unique webhooks (each about a case of its own) for {@code duration} seconds or until
 * {@code until-file} exists, then only re-sends what is still unacknowledged, for at most {@code drain} seconds.
 * order: generates per-case status sequences with known final states (see {@link Scenarios}), adds
 * {@code duplicates} × {@code webhooks} duplicate deliveries, shuffles them and posts them all, for at most
 * {@code drain} seconds. requests: posts nothing; writes {@code count} unique signed stream webhooks, the providers
 * in turn, one per line (path, header name, header value, body, tab-separated) for {@code ingest.sh}'s load
 * generator. Secrets come from the environment, as the hub's do: {@code KYC_STRIGA_API_KEY},
 * {@code KYC_CONNECTFI_WEBHOOK_SECRET}, {@code KYC_ARGOS_WEBHOOK_SECRET}, {@code KYC_ONDATO_WEBHOOK_USER} /
 * {@code KYC_ONDATO_WEBHOOK_PASSWORD}. The last line on stdout is {@code RESULT ...}; exit status 0 when every message
 * got a 2xx.
 */
public class ProofClient {

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("stream", "order", "requests").contains(args[0])) {
            throw new IllegalArgumentException("usage: ProofClient stream|order --url URL --out DIR [options]"
                    + " | ProofClient requests --out FILE [options]");
        }
        Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        if (args[0].equals("requests")) {
            requests(options);
            return;
        }
        Path out = Path.of(options.require("out"));
        Files.createDirectories(out);
        Sender sender = new Sender(URI.create(options.require("url")), options.integer("timeout", 60));
        boolean allAcked;
        try (Recorder recorder = new Recorder(out)) {
            allAcked = args[0].equals("stream") ? stream(options, sender, recorder) : order(options, sender, recorder);
        }
        System.exit(allAcked ? 0 : 1);
    }

    // --- requests: signed webhooks written down for another load generator ------------------------------------------

    static void requests(Options options) throws IOException {
        String names = options.get("providers", "striga,connectfi,argos,ondato");
        List<Provider> providers = Provider.list(names);
        int count = options.integer("count", 100_000);
        Sender signer = new Sender(URI.create("http://127.0.0.1/"), 1);
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(options.require("out")))) {
            for (long n = 0; n < count; n++) {
                Message message = Stream.message(providers.get((int) (n % providers.size())), n);
                String[] credentials = signer.credentials(message.provider(),
                        message.body().getBytes(StandardCharsets.UTF_8));
                // Bodies are compact JSON: no tab or line break outside escapes.
                out.write(message.provider().path + "\t" + credentials[0] + "\t" + credentials[1] + "\t"
                        + message.body() + "\n");
            }
        }
        System.out.println("RESULT requests=" + count + " providers=" + names);
    }

    // --- stream: unique webhooks for a while, re-sent until acknowledged ------------------------------------------

    static boolean stream(Options options, Sender sender, Recorder recorder) throws Exception {
        List<Provider> providers = Provider.list(options.get("providers", "striga,argos,ondato"));
        int concurrency = options.integer("concurrency", 8);
        int durationSeconds = options.integer("duration", 60);
        int drainSeconds = options.integer("drain", 600);
        double rate = Double.parseDouble(options.get("rate", "0"));
        Backoff backoff = Backoff.of(options);

        Path untilFile = options.get("until-file", null) == null ? null : Path.of(options.get("until-file", null));

        long start = System.nanoTime();
        Deadline deadline = new Deadline(start + TimeUnit.SECONDS.toNanos(durationSeconds), untilFile, drainSeconds);
        // Without a rate, each worker sends as soon as its previous answer is in (closed loop).
        long interval = rate > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) * concurrency / rate) : 0;
        AtomicLong sequence = new AtomicLong();
        AtomicInteger unacked = new AtomicInteger();
        Progress progress = new Progress(recorder, start);

        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        recorder.started();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                long nextSend = System.nanoTime();
                while (true) {
                    if (!deadline.newWebhooks()) {
                        return null;
                    }
                    long n = sequence.getAndIncrement();
                    Message message = Stream.message(providers.get((int) (n % providers.size())), n);
                    recorder.message(message);
                    nextSend = pace(nextSend, interval);
                    if (!deliver(sender, recorder, message, 0, message.body(), backoff, deadline, interval)) {
                        unacked.incrementAndGet();
                    }
                }
            }));
        }
        finish(pool, workers, progress);
        return recorder.summary("stream", concurrency, System.nanoTime() - start, unacked.get());
    }

    /** Unique webhooks, each about a case of its own: for Ondato an identity verification the stub knows. */
    static final class Stream {

        private static final String[] STRIGA = {"INITIATED", "PENDING_REVIEW", "APPROVED", "REJECTED"};

        static Message message(Provider provider, long n) {
            String ref = UUID.randomUUID().toString();
            String key = provider.id + ":" + n;
            long now = System.currentTimeMillis();
            String body = switch (provider) {
                case STRIGA -> Json.object("userId", ref, "status", STRIGA[(int) (n % STRIGA.length)], "ts", now);
                // The hub's worker pulls the customer's compliance status (from the scripts' stub).
                case CONNECTFI -> Json.object("eventType", "CUSTOMER_KYC_STARTED", "data", Json.raw(Json.object(
                        "customerId", ref, "onboardingId", "onb-" + ref)));
                case ARGOS -> Json.object("webhook_trigger", "approved", "submission_id", ref, "userid", "u-" + ref,
                        "kyc_result", Json.raw(Json.object("status", "approved", "updated_at", Argos.time(now),
                                "reviewer", "system")));
                case ONDATO -> Json.object("id", UUID.randomUUID().toString(), "applicationId", "bench",
                        "createdUtc", Instant.ofEpochMilli(now).toString(),
                        "deliveredUtc", Instant.ofEpochMilli(now).toString(), "isDelivered", false,
                        "type", "IdentityVerification.StatusChanged",
                        "payload", Json.raw(Json.object("id", ref, "status", "Completed")));
            };
            return new Message(key, provider, ref, body);
        }
    }

    // --- order: known sequences, duplicated, shuffled, posted concurrently ---------------------------------------

    static boolean order(Options options, Sender sender, Recorder recorder) throws Exception {
        int webhooks = options.integer("webhooks", 100_000);
        double duplicateShare = Double.parseDouble(options.get("duplicates", "0.30"));
        int concurrency = options.integer("concurrency", 16);
        int drainSeconds = options.integer("drain", 600);
        Random random = new Random(Long.parseLong(options.get("seed", "7")));
        Backoff backoff = Backoff.of(options);
        if (webhooks < 10 || duplicateShare < 0 || duplicateShare >= 1) {
            throw new IllegalArgumentException("--webhooks must be >= 10 and --duplicates in [0, 1)");
        }

        int distinct = (int) Math.round(webhooks * (1 - duplicateShare));
        Scenarios scenarios = new Scenarios(random);
        scenarios.generate(distinct);
        List<Message> messages = scenarios.messages();
        messages.forEach(recorder::message);
        recorder.expected(scenarios.expected());

        List<Delivery> deliveries = new ArrayList<>(webhooks);
        messages.forEach(m -> deliveries.add(new Delivery(m, 0, m.body())));
        for (int i = distinct; i < webhooks; i++) {
            Message m = messages.get(random.nextInt(messages.size()));
            // A third of the redeliveries come re-formatted, as a proxy may pass them on: still the same message.
            boolean reformatted = random.nextInt(3) == 0;
            deliveries.add(new Delivery(m, reformatted ? 2 : 1, reformatted ? Json.spaced(m.body()) : m.body()));
        }
        Collections.shuffle(deliveries, random);
        System.out.printf(Locale.ROOT, "order: %d webhooks = %d distinct messages about %d cases + %d duplicate "
                        + "deliveries (%d re-formatted), shuffled, %d concurrent clients%n", webhooks, distinct,
                scenarios.expected().size(), webhooks - distinct,
                deliveries.stream().filter(d -> d.copy() == 2).count(), concurrency);
        System.out.println("order: cases by scenario " + scenarios.counts());

        long start = System.nanoTime();
        // Every delivery is made from the start: re-sending stops drain seconds after it.
        Deadline deadline = new Deadline(start, null, drainSeconds);
        AtomicInteger cursor = new AtomicInteger();
        AtomicInteger unacked = new AtomicInteger();
        Progress progress = new Progress(recorder, start);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        recorder.started();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = cursor.getAndIncrement(); i < deliveries.size(); i = cursor.getAndIncrement()) {
                    Delivery d = deliveries.get(i);
                    if (!deliver(sender, recorder, d.message(), d.copy(), d.body(), backoff, deadline, 0)) {
                        unacked.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        finish(pool, workers, progress);
        return recorder.summary("order", concurrency, System.nanoTime() - start, unacked.get());
    }

    record Delivery(Message message, int copy, String body) {
    }

    /** Waits for the workers, printing progress; a worker that failed fails the run (ExecutionException). */
    static void finish(ExecutorService pool, List<Future<?>> workers, Progress progress) throws Exception {
        pool.shutdown();
        while (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
            progress.print();
        }
        progress.print();
        for (Future<?> worker : workers) {
            worker.get();
        }
    }

    /**
     * Per-case webhook sequences whose final canonical state the provider rules fix whatever the order of arrival
     * (README "Duplicates and order at scale"):
     * <ul>
     * <li>Striga with {@code ts}: the newest message decides; a repeated status of a re-submission is a message of
     * its own (its ts differs), and a later verdict overrides an earlier one (Striga's compliance team);</li>
     * <li>Striga without {@code ts}: order is unknown, so only sequences whose one verdict is protected (APPROVED,
     * REJECTED_FINAL) have a known end: no late non-verdict status may overwrite it;</li>
     * <li>ARGOS: {@code submit} carries {@code created_at}, the verdict {@code kyc_result.updated_at}, a dashboard
     * {@code updated} its {@code update_time}: the newest decides.</li>
     * </ul>
     */
    static final class Scenarios {

        private static final String[] REASONS = {"UNSATISFACTORY_PHOTOS", "SCREENSHOTS", "PROBLEMATIC_APPLICANT_DATA",
                "NOT_DOCUMENT"};
        private static final String[] ARGOS_CODES = {"ID_BLUR", "ID_GLARE", "SELFIE_MISMATCH", "DOC_EXPIRED"};
        private static final String[] ARGOS_COMMENTS = {"The photo is blurry.", "The document has expired.",
                "The selfie does not match the document."};

        /** How often a case follows it (weight), and how many messages it has. */
        enum Scenario {
            STRIGA_ONLY_THE_VERDICT(2, 1),
            STRIGA_APPROVED(14, 3),
            STRIGA_REJECTED(10, 3),
            STRIGA_REJECTED_FINAL(6, 3),
            STRIGA_REJECTION_FINAL_FLAG(4, 3),
            STRIGA_ON_HOLD_APPROVED(6, 4),
            STRIGA_RESUBMITTED_APPROVED(6, 6),
            STRIGA_REJECTED_TWICE_SAME_REASONS(5, 6),
            STRIGA_APPROVED_THEN_REJECTED_FINAL(4, 4),
            STRIGA_NO_TS_APPROVED(8, 3),
            STRIGA_NO_TS_REJECTED_FINAL(7, 4),
            ARGOS_APPROVED(12, 2),
            ARGOS_REJECTED(10, 2),
            ARGOS_REJECTED_THEN_APPROVED_BY_UPDATE(8, 3);

            final int weight;
            final int length;

            Scenario(int weight, int length) {
                this.weight = weight;
                this.length = length;
            }
        }

        private final Random random;
        private final List<Message> messages = new ArrayList<>();
        private final List<Expected> expected = new ArrayList<>();
        private final Map<Scenario, Integer> counts = new TreeMap<>();
        private final int totalWeight = Arrays.stream(Scenario.values()).mapToInt(s -> s.weight).sum();
        private int cases;

        Scenarios(Random random) {
            this.random = random;
        }

        List<Message> messages() {
            return messages;
        }

        List<Expected> expected() {
            return expected;
        }

        Map<Scenario, Integer> counts() {
            return counts;
        }

        /** Cases until exactly {@code distinct} messages; the last case is one that fits. */
        void generate(int distinct) {
            while (messages.size() < distinct) {
                int room = distinct - messages.size();
                Scenario scenario = pick();
                while (scenario.length > room) {
                    scenario = pick();
                }
                add(scenario);
            }
        }

        private Scenario pick() {
            int r = random.nextInt(totalWeight);
            for (Scenario s : Scenario.values()) {
                r -= s.weight;
                if (r < 0) {
                    return s;
                }
            }
            throw new IllegalStateException();
        }

        private void add(Scenario scenario) {
            counts.merge(scenario, 1, Integer::sum);
            String ref = String.format(Locale.ROOT, "%s-%06d-%s", scenario.name().startsWith("ARGOS") ? "sub" : "usr",
                    ++cases, UUID.randomUUID().toString().substring(0, 8));
            // Provider times a few seconds to minutes apart, each case starting somewhere in one day.
            long t = 1_764_000_000_000L + random.nextInt(86_400) * 1000L;
            List<String> reasons = reasons(REASONS);
            List<String> otherReasons = reasons(REASONS);
            Expected end = switch (scenario) {
                case STRIGA_ONLY_THE_VERDICT -> striga(scenario, ref, t, List.of(strigaStatus("APPROVED")));
                case STRIGA_APPROVED -> striga(scenario, ref, t, List.of(
                        strigaStatus("INITIATED"), strigaStatus("PENDING_REVIEW"), strigaStatus("APPROVED")));
                case STRIGA_REJECTED -> striga(scenario, ref, t, List.of(
                        strigaStatus("INITIATED"), strigaStatus("PENDING_REVIEW"), rejected("REJECTED", reasons)));
                case STRIGA_REJECTED_FINAL -> striga(scenario, ref, t, List.of(
                        strigaStatus("INITIATED"), strigaStatus("PENDING_REVIEW"),
                        rejected("REJECTED_FINAL", reasons)));
                case STRIGA_REJECTION_FINAL_FLAG -> striga(scenario, ref, t, List.of(
                        strigaStatus("INITIATED"), strigaStatus("PENDING_REVIEW"), rejectedFinalFlag(reasons)));
                case STRIGA_ON_HOLD_APPROVED -> striga(scenario, ref, t, List.of(strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), strigaStatus("ON_HOLD"), strigaStatus("APPROVED")));
                case STRIGA_RESUBMITTED_APPROVED -> striga(scenario, ref, t, List.of(strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), rejected("REJECTED", reasons), strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), strigaStatus("APPROVED")));
                // The final state equals an earlier one: the newest message must still win over the ones between.
                case STRIGA_REJECTED_TWICE_SAME_REASONS -> striga(scenario, ref, t, List.of(strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), rejected("REJECTED", reasons), strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), rejected("REJECTED", reasons)));
                case STRIGA_APPROVED_THEN_REJECTED_FINAL -> striga(scenario, ref, t, List.of(strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), strigaStatus("APPROVED"),
                        rejected("REJECTED_FINAL", otherReasons)));
                case STRIGA_NO_TS_APPROVED -> strigaWithoutTs(scenario, ref, List.of(
                        strigaStatus("INITIATED"), strigaStatus("PENDING_REVIEW"), strigaStatus("APPROVED")));
                case STRIGA_NO_TS_REJECTED_FINAL -> strigaWithoutTs(scenario, ref, List.of(strigaStatus("INITIATED"),
                        strigaStatus("PENDING_REVIEW"), strigaStatus("ON_HOLD"), rejected("REJECTED_FINAL", reasons)));
                case ARGOS_APPROVED -> argos(scenario, ref, t, false, false);
                case ARGOS_REJECTED -> argos(scenario, ref, t, true, false);
                case ARGOS_REJECTED_THEN_APPROVED_BY_UPDATE -> argos(scenario, ref, t, true, true);
            };
            expected.add(end);
        }

        /** One Striga status message, before its userId and ts are set. */
        record Striga(String status, List<String> reasons, boolean rejectionFinal) {
        }

        private static Striga strigaStatus(String status) {
            return new Striga(status, List.of(), false);
        }

        private static Striga rejected(String status, List<String> reasons) {
            return new Striga(status, reasons, false);
        }

        private static Striga rejectedFinalFlag(List<String> reasons) {
            return new Striga("REJECTED", reasons, true);
        }

        private Expected striga(Scenario scenario, String ref, long t, List<Striga> sequence) {
            Striga last = null;
            for (Striga s : sequence) {
                t += 1000 + random.nextInt(120_000);
                messages.add(new Message("striga:" + ref + ":" + messages.size(), Provider.STRIGA, ref,
                        strigaBody(ref, s, t)));
                last = s;
            }
            return strigaExpected(scenario, ref, last);
        }

        private Expected strigaWithoutTs(Scenario scenario, String ref, List<Striga> sequence) {
            for (Striga s : sequence) {
                messages.add(new Message("striga:" + ref + ":" + messages.size(), Provider.STRIGA, ref,
                        strigaBody(ref, s, null)));
            }
            return strigaExpected(scenario, ref, sequence.get(sequence.size() - 1));
        }

        private static String strigaBody(String ref, Striga s, Long ts) {
            List<Object> fields = new ArrayList<>(List.of("userId", ref, "status", s.status()));
            if (!s.reasons().isEmpty()) {
                fields.addAll(List.of("details", s.reasons(), "rejectionComments", Json.raw(Json.object(
                        "userComment", "Please upload clear photos of your document.",
                        "autoComment", "Screenshots are not accepted."))));
            }
            if (s.rejectionFinal()) {
                fields.addAll(List.of("rejectionFinal", true));
            }
            if (ts != null) {
                fields.addAll(List.of("ts", ts));
            }
            return Json.object(fields.toArray());
        }

        /** StrigaMapping's table: Striga status to canonical status and next action. */
        private static Expected strigaExpected(Scenario scenario, String ref, Striga last) {
            String[] canonical = switch (last.status()) {
                case "INITIATED" -> new String[] {"IN_PROGRESS", "COMPLETE_VERIFICATION"};
                case "PENDING_REVIEW", "ON_HOLD" -> new String[] {"IN_REVIEW", "WAIT"};
                case "APPROVED" -> new String[] {"APPROVED", "NONE"};
                case "REJECTED" -> last.rejectionFinal()
                        ? new String[] {"REJECTED_FINAL", "NONE"} : new String[] {"REJECTED", "RESTART_KYC"};
                case "REJECTED_FINAL" -> new String[] {"REJECTED_FINAL", "NONE"};
                default -> throw new IllegalStateException(last.status());
            };
            return new Expected("striga", ref, canonical[0], canonical[1], last.reasons(), last.status(),
                    scenario.name());
        }

        /** submit, then approved or rejected, then (if asked) a dashboard update to approved. */
        private Expected argos(Scenario scenario, String ref, long t, boolean reject, boolean reversed) {
            String user = "argos-user-" + ref;
            long submitted = t + 1000L * (1 + random.nextInt(120));
            long decided = submitted + 1000L * (60 + random.nextInt(3600));
            long updated = decided + 1000L * (60 + random.nextInt(3600));
            messages.add(new Message("argos:" + ref + ":" + messages.size(), Provider.ARGOS, ref, Json.object(
                    "webhook_trigger", "submit", "submission_id", ref, "userid", user,
                    "applicant_id", "APL-" + ref, "created_at", Argos.time(submitted))));
            List<String> codes = reasons(ARGOS_CODES);
            List<String> comments = List.of(ARGOS_COMMENTS[random.nextInt(ARGOS_COMMENTS.length)]);
            String verdict = reject
                    ? Json.object("webhook_trigger", "rejected", "submission_id", ref, "userid", user,
                            "kyc_result", Json.raw(Json.object("status", "rejected", "updated_at", Argos.time(decided),
                                    "reviewer", "agent", "comment", comments, "commentCode", codes)))
                    : Json.object("webhook_trigger", "approved", "submission_id", ref, "userid", user,
                            "kyc_result", Json.raw(Json.object("status", "approved", "updated_at", Argos.time(decided),
                                    "reviewer", "system")));
            messages.add(new Message("argos:" + ref + ":" + messages.size(), Provider.ARGOS, ref, verdict));
            if (reversed) {
                messages.add(new Message("argos:" + ref + ":" + messages.size(), Provider.ARGOS, ref, Json.object(
                        "webhook_trigger", "updated", "submission_id", ref, "userid", user, "admin", "compliance",
                        "update_time", Argos.time(updated),
                        "data", Json.raw(Json.object("update", List.of("kyc_result"), "kyc_result", "approved")))));
            }
            boolean rejectedInTheEnd = reject && !reversed;
            // ArgosMapping: a rejection's reasons are its comment codes; the free-text comment is not a reason.
            List<String> reasons = new ArrayList<>();
            if (rejectedInTheEnd) {
                reasons.addAll(codes);
            }
            return new Expected("argos", ref, rejectedInTheEnd ? "REJECTED" : "APPROVED",
                    rejectedInTheEnd ? "RESTART_KYC" : "NONE", reasons, rejectedInTheEnd ? "rejected" : "approved",
                    scenario.name());
        }

        /** One to three distinct values, in a random order. */
        private List<String> reasons(String[] from) {
            List<String> all = new ArrayList<>(List.of(from));
            Collections.shuffle(all, random);
            return List.copyOf(all.subList(0, 1 + random.nextInt(3)));
        }
    }

    static final class Argos {

        private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

        /** ARGOS's "UTC+0" time as its doc shows it. */
        static String time(long epochMillis) {
            return LocalDateTime.ofEpochSecond(epochMillis / 1000, 0, ZoneOffset.UTC).format(FORMAT);
        }
    }

    // --- delivery, as a provider does it -----------------------------------------------------------------------------

    /**
     * Sends one webhook until it is acknowledged with a 2xx or the deadline passes; every attempt is recorded.
     * The wait between attempts doubles from the back-off's first delay to its cap.
     */
    static boolean deliver(Sender sender, Recorder recorder, Message message, int copy, String body, Backoff backoff,
                           Deadline deadline, long interval) throws InterruptedException {
        long delay = backoff.firstMillis();
        for (int attempt = 1; ; attempt++) {
            Answer answer = sender.send(message.provider(), body);
            recorder.request(message, copy, attempt, answer);
            if (answer.status() >= 200 && answer.status() < 300) {
                return true;
            }
            if (deadline.passedBy(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay))) {
                return false;
            }
            Thread.sleep(Math.max(delay, TimeUnit.NANOSECONDS.toMillis(interval)));
            delay = Math.min(delay * 2, backoff.maxMillis());
        }
    }

    static long pace(long nextSend, long interval) throws InterruptedException {
        if (interval <= 0) {
            return nextSend;
        }
        long wait = nextSend - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return Math.max(nextSend, System.nanoTime() - interval) + interval;
    }

    /**
     * New webhooks are made until {@code newUntil} (System.nanoTime) or until {@code untilFile} exists; re-sending
     * what is unacknowledged goes on for {@code drainSeconds} more, even when every worker is busy re-sending.
     */
    static final class Deadline {

        private final long newUntil;
        private final Path untilFile;
        private final long drainNanos;
        private final AtomicLong giveUpAt = new AtomicLong(Long.MAX_VALUE);

        Deadline(long newUntil, Path untilFile, int drainSeconds) {
            this.newUntil = newUntil;
            this.untilFile = untilFile;
            this.drainNanos = TimeUnit.SECONDS.toNanos(drainSeconds);
        }

        boolean newWebhooks() {
            long now = System.nanoTime();
            if (now < newUntil && (untilFile == null || !Files.exists(untilFile))) {
                return true;
            }
            giveUpAt.compareAndSet(Long.MAX_VALUE, now + drainNanos);
            return false;
        }

        boolean passedBy(long nanoTime) {
            newWebhooks();
            return nanoTime >= giveUpAt.get();
        }
    }

    record Backoff(long firstMillis, long maxMillis) {
        static Backoff of(Options options) {
            return new Backoff(options.integer("retry-delay-ms", 200), options.integer("max-retry-delay-ms", 2000));
        }
    }

    enum Provider {
        STRIGA("striga", "/webhooks/striga/kyc"),
        CONNECTFI("connectfi", "/webhooks/connectfi"),
        ARGOS("argos", "/webhooks/argos"),
        ONDATO("ondato", "/webhooks/ondato");

        final String id;
        final String path;

        Provider(String id, String path) {
            this.id = id;
            this.path = path;
        }

        static List<Provider> list(String names) {
            List<Provider> providers = new ArrayList<>();
            for (String name : names.split(",")) {
                providers.add(Arrays.stream(values()).filter(p -> p.id.equals(name.trim())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown provider " + name)));
            }
            return providers;
        }
    }

    record Message(String key, Provider provider, String ref, String body) {
    }

    /** One request's outcome: status 0 when no answer came (connection refused or reset, timeout). */
    record Answer(long sentMillis, long doneMillis, int status, String body, String error) {
    }

    /** Posts webhooks signed as each provider signs them, on keep-alive HTTP/1.1 connections. */
    static final class Sender {

        private static final HexFormat HEX = HexFormat.of();

        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI base;
        private final Duration timeout;
        private final String strigaKey = System.getenv("KYC_STRIGA_API_KEY");
        private final String argosSecret = System.getenv("KYC_ARGOS_WEBHOOK_SECRET");
        private final String connectfiSecret = System.getenv("KYC_CONNECTFI_WEBHOOK_SECRET");
        private final String ondatoBasic;

        Sender(URI base, int timeoutSeconds) {
            this.base = base;
            this.timeout = Duration.ofSeconds(timeoutSeconds);
            String user = System.getenv("KYC_ONDATO_WEBHOOK_USER");
            String password = System.getenv("KYC_ONDATO_WEBHOOK_PASSWORD");
            this.ondatoBasic = user == null || password == null ? null : "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        Answer send(Provider provider, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String[] credentials = credentials(provider, bytes);
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(provider.path)).timeout(timeout)
                    .header("Content-Type", "application/json").header(credentials[0], credentials[1])
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            long sent = System.currentTimeMillis();
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(sent, System.currentTimeMillis(), response.statusCode(), response.body(), null);
            } catch (IOException e) {
                return new Answer(sent, System.currentTimeMillis(), 0, null, e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** The header (name, value) that authenticates a body, as the provider sends it. */
        String[] credentials(Provider provider, byte[] body) {
            return switch (provider) {
                case STRIGA -> new String[] {"signature", hmac(require(strigaKey, "KYC_STRIGA_API_KEY"), body)};
                case CONNECTFI -> new String[] {"X-Signature",
                        hmac(require(connectfiSecret, "KYC_CONNECTFI_WEBHOOK_SECRET"), body)};
                case ARGOS -> new String[] {"X-Signature", hmac(require(argosSecret, "KYC_ARGOS_WEBHOOK_SECRET"), body)};
                case ONDATO -> new String[] {"Authorization",
                        require(ondatoBasic, "KYC_ONDATO_WEBHOOK_USER / KYC_ONDATO_WEBHOOK_PASSWORD")};
            };
        }

        private static String require(String value, String name) {
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException(name + " is not set");
            }
            return value;
        }

        private static String hmac(String key, byte[] data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return HEX.formatHex(mac.doFinal(data));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // --- recording ---------------------------------------------------------------------------------------------------

    /** Expected end state of one case. */
    record Expected(String provider, String ref, String status, String nextAction, List<String> reasons,
                    String providerStatus, String scenario) {
    }

    /** Writes the TSV files and keeps the counts the summary prints. */
    static final class Recorder implements AutoCloseable {

        private static final Pattern ACK = Pattern.compile("\"status\"\\s*:\\s*\"(accepted|duplicate)\"");
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

        private final Path out;
        private final BufferedWriter messages;
        private final BufferedWriter requests;
        final LongAdder requestCount = new LongAdder();
        final LongAdder messageCount = new LongAdder();
        final LongAdder resends = new LongAdder();
        final Map<String, LongAdder> byAnswer = new ConcurrentHashMap<>();

        Recorder(Path out) throws IOException {
            this.out = out;
            this.messages = Files.newBufferedWriter(out.resolve("messages.tsv"));
            this.requests = Files.newBufferedWriter(out.resolve("requests.tsv"));
        }

        /** Tells the calling script that the load begins now (file {@code started}). */
        void started() throws IOException {
            Files.writeString(out.resolve("started"), Instant.now() + "\n");
        }

        void message(Message m) {
            messageCount.increment();
            write(messages, m.key() + "\t" + m.provider().id + "\t" + copyText(m.ref()) + "\t" + copyText(m.body()));
        }

        void request(Message m, int copy, int attempt, Answer a) {
            requestCount.increment();
            if (attempt > 1) {
                resends.increment();
            }
            String ack = null;
            String id = null;
            if (a.body() != null) {
                Matcher matcher = ACK.matcher(a.body());
                ack = matcher.find() ? matcher.group(1) : null;
                Matcher idMatcher = ID.matcher(a.body());
                id = ack != null && idMatcher.find() ? idMatcher.group(1) : null;
            }
            String kind = a.status() == 0 ? "no answer (" + a.error() + ")"
                    : a.status() + (ack == null ? "" : " " + ack);
            byAnswer.computeIfAbsent(kind, k -> new LongAdder()).increment();
            write(requests, a.sentMillis() + "\t" + a.doneMillis() + "\t" + m.key() + "\t" + copy + "\t" + attempt
                    + "\t" + a.status() + "\t" + orNull(ack) + "\t" + orNull(id) + "\t" + orNull(a.error()) + "\t"
                    + (a.body() == null ? "\\N" : copyText(a.body())));
        }

        void expected(List<Expected> cases) throws IOException {
            try (BufferedWriter writer = Files.newBufferedWriter(out.resolve("expected.tsv"))) {
                for (Expected e : cases) {
                    writer.write(e.provider() + "\t" + copyText(e.ref()) + "\t" + e.status() + "\t" + e.nextAction()
                            + "\t" + copyText(Json.array(e.reasons())) + "\t" + e.providerStatus() + "\t"
                            + e.scenario() + "\n");
                }
            }
        }

        Map<String, Long> answers() {
            Map<String, Long> sorted = new TreeMap<>();
            byAnswer.forEach((k, v) -> sorted.put(k, v.sum()));
            return sorted;
        }

        boolean summary(String mode, int concurrency, long elapsedNanos, int unacked) {
            double seconds = elapsedNanos / 1e9;
            System.out.printf(Locale.ROOT, "%s: %d messages, %d requests (%d re-sends) in %.1f s (%.1f requests/s), "
                            + "%d concurrent clients%n", mode, messageCount.sum(), requestCount.sum(), resends.sum(),
                    seconds, requestCount.sum() / seconds, concurrency);
            System.out.println(mode + ": answers " + answers());
            System.out.println(mode + ": messages never acknowledged: " + unacked);
            System.out.printf(Locale.ROOT, "RESULT %s messages=%d requests=%d resends=%d unacked=%d seconds=%.1f%n",
                    mode, messageCount.sum(), requestCount.sum(), resends.sum(), unacked, seconds);
            return unacked == 0;
        }

        private static String orNull(String value) {
            return value == null ? "\\N" : copyText(value);
        }

        /** PostgreSQL COPY text format: backslash, tab, newline and carriage return escaped. */
        static String copyText(String value) {
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        }

        private static void write(BufferedWriter writer, String line) {
            synchronized (writer) {
                try {
                    writer.write(line);
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            messages.close();
            requests.close();
        }
    }

    /** A line on stderr every few seconds, to follow a long run. */
    static final class Progress {

        private final Recorder recorder;
        private final long start;

        Progress(Recorder recorder, long start) {
            this.recorder = recorder;
            this.start = start;
        }

        void print() {
            System.err.printf(Locale.ROOT, "[%5.0f s] %d messages, %d requests, answers %s%n",
                    (System.nanoTime() - start) / 1e9, recorder.messageCount.sum(), recorder.requestCount.sum(),
                    recorder.answers());
        }
    }

    // --- JSON, written by hand: bodies must be exactly what is signed ----------------------------------------------

    static final class Json {

        /** A value written as it is (an object or array already in JSON). */
        record Raw(String json) {
        }

        static Raw raw(String json) {
            return new Raw(json);
        }

        /** Compact JSON object from name, value pairs, in that order. */
        static String object(Object... pairs) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < pairs.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, (String) pairs[i]);
                out.append(':');
                value(out, pairs[i + 1]);
            }
            return out.append('}').toString();
        }

        static String array(List<?> values) {
            StringBuilder out = new StringBuilder();
            value(out, values);
            return out.toString();
        }

        private static void value(StringBuilder out, Object value) {
            if (value instanceof Raw raw) {
                out.append(raw.json());
            } else if (value instanceof String s) {
                string(out, s);
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, list.get(i));
                }
                out.append(']');
            } else {
                out.append(value);
            }
        }

        private static void string(StringBuilder out, String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        /** The same JSON with a space after every ':' and ',' outside strings: another body, the same message. */
        static String spaced(String compact) {
            StringBuilder out = new StringBuilder(compact.length() + 32);
            boolean inString = false;
            for (int i = 0; i < compact.length(); i++) {
                char c = compact.charAt(i);
                out.append(c);
                if (inString) {
                    if (c == '\\') {
                        out.append(compact.charAt(++i));
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == ':' || c == ',') {
                    out.append(' ');
                }
            }
            return out.toString();
        }
    }

    static final class Options {

        private final Map<String, String> values;

        private Options(Map<String, String> values) {
            this.values = values;
        }

        static Options parse(String[] args) {
            Map<String, String> values = new TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value, got " + args[i]);
                }
                values.put(args[i].substring(2), args[++i]);
            }
            return new Options(values);
        }

        String get(String name, String otherwise) {
            return values.getOrDefault(name, otherwise);
        }

        String require(String name) {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        int integer(String name, int otherwise) {
            return Integer.parseInt(get(name, Integer.toString(otherwise)));
        }
    }
}
