import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Closed-loop load client for {@code POST /webhooks/striga/kyc}: N workers, each sending signed, unique Striga KYC
 * webhooks one after the other on its own keep-alive HTTP/1.1 connection, for a warm-up (not counted) and then a
 * measured window. A request counts when it completes inside the measured window.
 *
 * <pre>
 * java bench/StrigaLoad.java --url http://127.0.0.1:18080/webhooks/striga/kyc --key KEY \
 *     [--concurrency 32] [--duration 20] [--warmup 5]
 * </pre>
 *
 * The last line is machine-readable: {@code RESULT hub requests=.. ok=.. acks_per_s=.. p50_ms=.. p99_ms=.. ...}.
 * Exit status 0 when every counted request was a 200 "accepted", 1 otherwise.
 */
public class StrigaLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String url = require(options, "url");
        String key = require(options, "key");
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        int durationSeconds = Integer.parseInt(options.getOrDefault("duration", "20"));
        int warmupSeconds = Integer.parseInt(options.getOrDefault("warmup", "5"));
        if (concurrency < 1 || durationSeconds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("concurrency and duration must be >= 1, warmup >= 0");
        }

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        URI uri = URI.create(url);

        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long measureUntil = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);

        Worker[] workers = new Worker[concurrency];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new Worker(i, client, uri, key, measureFrom, measureUntil);
            pool.submit(workers[i]);
        }
        pool.shutdown();
        // Every request has its own 30 s timeout, so the workers end soon after the window does.
        if (!pool.awaitTermination(warmupSeconds + durationSeconds + 60L, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            System.err.println("workers did not stop in time");
        }

        long total = 0;
        long ok = 0;
        long duplicates = 0;
        long errors = 0;
        long warmupRequests = 0;
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> errorKinds = new TreeMap<>();
        int latencyCount = 0;
        for (Worker w : workers) {
            total += w.counted;
            ok += w.ok;
            duplicates += w.duplicates;
            errors += w.errors;
            warmupRequests += w.warmupRequests;
            w.byStatus.forEach((s, n) -> byStatus.merge(s, n, Long::sum));
            w.errorKinds.forEach((s, n) -> errorKinds.merge(s, n, Long::sum));
            latencyCount += w.latencyCount;
        }
        long[] latencies = new long[latencyCount];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, latencies, at, w.latencyCount);
            at += w.latencyCount;
        }
        Arrays.sort(latencies);
        long non2xx = byStatus.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("2")).mapToLong(Map.Entry::getValue).sum();

        double acksPerSecond = ok / (double) durationSeconds;
        System.out.printf(Locale.ROOT, "hub load: %s, concurrency %d, warm-up %d s (%d requests, not counted), "
                + "measured %d s%n", url, concurrency, warmupSeconds, warmupRequests, durationSeconds);
        System.out.printf(Locale.ROOT, "  requests counted : %d%n", total);
        System.out.printf(Locale.ROOT, "  200 accepted     : %d%n", ok);
        System.out.printf(Locale.ROOT, "  duplicates       : %d (should be 0)%n", duplicates);
        System.out.printf(Locale.ROOT, "  by HTTP status   : %s%n", byStatus);
        System.out.printf(Locale.ROOT, "  non-2xx          : %d%n", non2xx);
        System.out.printf(Locale.ROOT, "  transport errors : %d %s%n", errors, errorKinds.isEmpty() ? "" : errorKinds);
        System.out.printf(Locale.ROOT, "  acks/s           : %.1f%n", acksPerSecond);
        System.out.printf(Locale.ROOT, "  latency ms       : p50 %.2f  p99 %.2f  max %.2f  mean %.2f  (200 accepted only)%n",
                ms(percentile(latencies, 50)), ms(percentile(latencies, 99)),
                ms(latencies.length == 0 ? 0 : latencies[latencies.length - 1]), ms(mean(latencies)));
        System.out.printf(Locale.ROOT, "RESULT hub requests=%d ok=%d duplicates=%d non2xx=%d errors=%d "
                        + "acks_per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f body_bytes=%d%n",
                total, ok, duplicates, non2xx, errors, acksPerSecond,
                ms(percentile(latencies, 50)), ms(percentile(latencies, 99)),
                ms(latencies.length == 0 ? 0 : latencies[latencies.length - 1]), ms(mean(latencies)),
                Worker.body(new UUID(0, 0), System.currentTimeMillis()).length);
        System.exit(ok == total && total > 0 ? 0 : 1);
    }

    /** One closed-loop sender: the next request leaves when the previous answer is in. */
    static final class Worker implements Runnable {

        private static final HexFormat HEX = HexFormat.of();

        final int index;
        final HttpClient client;
        final URI uri;
        final Mac mac;
        final long measureFrom;
        final long measureUntil;

        long counted;
        long ok;
        long duplicates;
        long errors;
        long warmupRequests;
        final Map<String, Long> byStatus = new TreeMap<>();
        final Map<String, Long> errorKinds = new TreeMap<>();
        long[] latencies = new long[4096];
        int latencyCount;

        Worker(int index, HttpClient client, URI uri, String key, long measureFrom, long measureUntil)
                throws Exception {
            this.index = index;
            this.client = client;
            this.uri = uri;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
            this.mac = Mac.getInstance("HmacSHA256");
            this.mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }

        /**
         * A REJECTED status webhook shaped like provider doc 004's example; the random userId makes every body,
         * and so every dedup key, unique. All bodies have the same length.
         */
        static byte[] body(UUID userId, long ts) {
            return ("{\"userId\":\"" + userId + "\",\"status\":\"REJECTED\","
                    + "\"details\":[\"UNSATISFACTORY_PHOTOS\",\"SCREENSHOTS\"],"
                    + "\"rejectionComments\":{\"userComment\":\"We could not verify your documents. "
                    + "Please upload clear photos.\",\"autoComment\":\"Screenshots are not accepted.\"},"
                    + "\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void run() {
            while (true) {
                long sent = System.nanoTime();
                if (sent >= measureUntil) {
                    return;
                }
                byte[] body = body(UUID.randomUUID(), System.currentTimeMillis());
                String signature = HEX.formatHex(mac.doFinal(body));
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .header("signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                int status = -1;
                String answer = null;
                String error = null;
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    answer = response.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    error = e.getClass().getSimpleName();
                }
                long done = System.nanoTime();
                if (done < measureFrom) {
                    warmupRequests++;
                    continue;
                }
                if (done >= measureUntil) {
                    return;
                }
                counted++;
                if (error != null) {
                    errors++;
                    errorKinds.merge(error, 1L, Long::sum);
                    continue;
                }
                byStatus.merge(Integer.toString(status), 1L, Long::sum);
                if (status == 200 && answer.contains("\"duplicate\"")) {
                    duplicates++;
                } else if (status == 200 && answer.contains("\"accepted\"")) {
                    ok++;
                    if (latencyCount == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencies.length * 2);
                    }
                    latencies[latencyCount++] = done - sent;
                }
            }
        }
    }

    /** Nearest-rank percentile of sorted nanoseconds. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) ((p * (long) sorted.length + 99) / 100);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long mean(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return (long) (sum / values.length);
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            options.put(name, value);
        }
        return options;
    }

    static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
