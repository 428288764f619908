import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the hub's CPU goes, per stage of a request, from a JFR recording of a measured window (bench/profile.sh).
 * JDK only, run by the source launcher:
 *
 * <pre>
 *   java bench/JfrStages.java --self-test
 *   java bench/JfrStages.java --path webhook --requests 120000 --cpu before.txt after.txt [--top 15] recording.jfr
 *   java bench/JfrStages.java --path drain --by-code ...    # the workers' own CPU split by code (step 1 skipped)
 * </pre>
 *
 * The process's CPU over the window (user + system, from /proc, in the two snapshot files profile.sh writes) is split
 * in two by thread: the JVM's own native threads (GC, JIT compilers, the VM thread, JFR's recorder), whose CPU /proc
 * gives per thread and which JFR does not sample, are stages of their own; what is left, the Java threads' CPU, is
 * shared among the Java stages in proportion to their execution samples. Each sample goes to ONE stage by the rules
 * below; divided by the requests acknowledged (or polls made) in the window, each stage's CPU is its cost per request.
 */
public class JfrStages {

    enum Stage {
        HTTP_SERVER("HTTP server"),
        DISPATCH("dispatch"),
        SECURITY("Spring Security filters"),
        CAMEL("Camel routing"),
        AUTH("authentication"),
        INTAKE("intake checks"),
        JSON("JSON"),
        DATABASE("inbox write / JDBC"),
        WORKER("worker processing"),
        POLLER("poller, provider calls"),
        LOGGING("logging"),
        METRICS("metrics"),
        OTHER("other Java"),
        PROFILER("JFR, jcmd"),
        GC("GC threads"),
        JIT("JIT compiler threads"),
        JVM("other JVM threads");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    record Rule(Stage stage, Pattern classes) {
    }

    private static Rule rule(Stage stage, String classes) {
        return new Rule(stage, Pattern.compile(classes));
    }

    /**
     * Step 1, the owner: a sample whose stack holds one of these frames anywhere is that stage, whatever runs on top.
     * The background workers' SQL, JSON and Camel are not on a webhook's way to its 2xx: they are counted apart.
     */
    static final List<Rule> OWNERS = List.of(
            rule(Stage.WORKER, "com\\.kychub\\.(inbound\\.InboxWorker|action\\.ActionWorker|outbound\\.EventDispatcher)"));

    /**
     * Step 2, the code: from the top frame down, the first frame that a rule matches decides (rules tried in this
     * order for each frame). A frame no rule matches (the JDK's java.*, javax.crypto, sun.*, Spring's proxies) is
     * passed over, so a HashMap lookup or a SHA-256 round counts for the code that called it. Class names are
     * matched without their inner-class or lambda suffix ($...).
     */
    static final List<Rule> CODE = List.of(
            rule(Stage.PROFILER, "jdk\\.jfr\\..*|jdk\\.management\\.jfr\\..*"),
            rule(Stage.LOGGING, "ch\\.qos\\.logback\\..*|org\\.slf4j\\..*|net\\.logstash\\..*|org\\.apache\\.logging\\..*"
                    + "|com\\.kychub\\.inbound\\.MessageLogContext"),
            rule(Stage.METRICS, "io\\.micrometer\\..*|org\\.apache\\.camel\\.component\\.micrometer\\..*"
                    + "|com\\.kychub\\.inbound\\.InboxMetrics"),
            rule(Stage.JSON, "com\\.fasterxml\\.jackson\\..*|org\\.apache\\.camel\\.component\\.jackson\\..*"),
            rule(Stage.AUTH, "com\\.kychub\\.provider\\.\\w+\\.\\w+WebhookAuth|com\\.kychub\\.provider\\.argos\\.ArgosEncryption"
                    + "|com\\.kychub\\.inbound\\.(HmacSignatures|ConfigurableWebhookAuth)"),
            rule(Stage.INTAKE, "com\\.kychub\\.inbound\\.(WebhookDoor|DedupKeys|WebhookRouteGate|RawBodyFilter"
                    + "|WebhookContentTypeFilter|WebhookReadinessFilter)|com\\.kychub\\.canonical\\.StorableJson"),
            rule(Stage.DATABASE, "com\\.kychub\\.inbound\\.(InboxWriter|Inbox)|org\\.postgresql\\..*|com\\.zaxxer\\.hikari\\..*"
                    + "|org\\.springframework\\.(jdbc|transaction)\\..*|org\\.apache\\.camel\\.component\\.jdbc\\..*"),
            rule(Stage.WORKER, "com\\.kychub\\.provider\\.\\w+\\.\\w+(Process|Mapping)|com\\.kychub\\.canonical\\.CanonicalStore"),
            rule(Stage.POLLER, "com\\.kychub\\.provider\\.\\w+\\.\\w+(Poller|Client|Signature)|com\\.kychub\\.scheduling\\..*"
                    + "|com\\.kychub\\.inbound\\.(ProviderCircuits|ReconcilePulls)|com\\.kychub\\.canonical\\.DueCases"
                    + "|org\\.apache\\.camel\\.component\\.(http|resilience4j|quartz)\\..*|org\\.apache\\.hc\\..*"
                    + "|io\\.github\\.resilience4j\\..*|org\\.apache\\.camel\\.processor\\.\\w*Throttl\\w*|org\\.quartz\\..*"),
            rule(Stage.SECURITY, "org\\.springframework\\.security\\..*|com\\.kychub\\.access\\..*"),
            rule(Stage.DISPATCH, "org\\.apache\\.camel\\.component\\.platform\\.http\\..*|jakarta\\.servlet\\..*"
                    + "|org\\.springframework\\.(web|http|boot\\.web)\\..*|org\\.apache\\.catalina\\.core\\.AsyncContextImpl"
                    + "|com\\.kychub\\.(api|http)\\..*"),
            rule(Stage.CAMEL, "org\\.apache\\.camel\\..*"),
            rule(Stage.HTTP_SERVER, "org\\.apache\\.(tomcat|coyote|catalina)\\..*|io\\.vertx\\..*|io\\.netty\\..*"));

    /** The JVM's native threads by the name /proc gives them (15 characters at most); any other thread is Java's. */
    static final List<Rule> NATIVE_THREADS = List.of(
            rule(Stage.GC, "GC Thread.*|G1 .*|VM Periodic GC.*"),
            rule(Stage.JIT, "C1 CompilerThre.*|C2 CompilerThre.*|Sweeper thread"),
            rule(Stage.PROFILER, "JFR Recorder Th.*|JFR Thread Samp.*|Attach Listener"),
            rule(Stage.JVM, "VM Thread|VM Periodic Tas.*|Service Thread|Monitor Deflati.*|Signal Dispatch.*"));

    /** The stage of one execution sample: its stack's class names, top frame first. */
    static Stage classify(List<String> classesTopFirst) {
        return classify(classesTopFirst, true);
    }

    /**
     * @param byOwner false when the workers are what is measured (the drain path): their samples are then split by
     *                the code they run (step 2) instead of all going to "worker processing"
     */
    static Stage classify(List<String> classesTopFirst, boolean byOwner) {
        for (Rule owner : byOwner ? OWNERS : List.<Rule>of()) {
            for (String type : classesTopFirst) {
                if (owner.classes().matcher(outerName(type)).matches()) {
                    return owner.stage();
                }
            }
        }
        for (String type : classesTopFirst) {
            String name = outerName(type);
            for (Rule rule : CODE) {
                if (rule.classes().matcher(name).matches()) {
                    return rule.stage();
                }
            }
        }
        return Stage.OTHER;
    }

    /** A native JVM thread's stage by its /proc name, or null for a Java thread. */
    static Stage nativeThread(String name) {
        for (Rule rule : NATIVE_THREADS) {
            if (rule.classes().matcher(name).matches()) {
                return rule.stage();
            }
        }
        return null;
    }

    private static String outerName(String type) {
        int inner = type.indexOf('$');
        return inner < 0 ? type : type.substring(0, inner);
    }

    // --- The self-test: the rules on stacks shaped as the hub's -------------------------------------------------

    static void selfTest() {
        String tomcat = "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor";
        String route = "org.apache.camel.component.bean.BeanProcessor";
        expect(Stage.AUTH, "sun.security.provider.SHA2", "javax.crypto.Mac", "com.kychub.inbound.HmacSignatures", route, tomcat);
        expect(Stage.AUTH, "com.kychub.provider.striga.StrigaWebhookAuth$$SpringCGLIB$$0", route, tomcat);
        expect(Stage.INTAKE, "sun.security.provider.SHA2", "java.security.MessageDigest", "com.kychub.inbound.DedupKeys",
                "com.kychub.provider.ondato.OndatoWebhookAuth", route, tomcat);
        expect(Stage.JSON, "com.fasterxml.jackson.core.json.UTF8StreamJsonParser", "com.kychub.provider.striga.StrigaWebhookAuth",
                route, tomcat);
        expect(Stage.CAMEL, "java.util.HashMap", "org.apache.camel.support.DefaultExchange", route, tomcat);
        expect(Stage.DISPATCH, "org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer", route, tomcat);
        expect(Stage.DISPATCH, "java.util.concurrent.ConcurrentHashMap", "org.springframework.web.servlet.DispatcherServlet",
                "org.apache.catalina.core.ApplicationFilterChain", tomcat);
        expect(Stage.DISPATCH, "org.apache.catalina.core.AsyncContextImpl", tomcat);
        // The doors' own port: Vert.x's event loop (Netty) reads the request, a Vert.x worker runs the route.
        expect(Stage.HTTP_SERVER, "io.netty.buffer.PooledByteBufAllocator", "io.netty.channel.nio.NioEventLoop");
        expect(Stage.CAMEL, "org.apache.camel.impl.engine.CamelInternalProcessor",
                "org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer", "io.vertx.core.impl.TaskQueue");
        expect(Stage.SECURITY, "java.util.HashMap", "org.springframework.security.web.csrf.CsrfFilter",
                "org.springframework.web.filter.OncePerRequestFilter", "org.apache.catalina.core.ApplicationFilterChain", tomcat);
        expect(Stage.METRICS, "io.micrometer.observation.SimpleObservation",
                "org.springframework.security.web.ObservationFilterChainDecorator", tomcat);
        expect(Stage.HTTP_SERVER, "sun.nio.ch.SocketDispatcher", "org.apache.tomcat.util.net.NioChannel", tomcat);
        expect(Stage.HTTP_SERVER, "org.apache.catalina.connector.InputBuffer", "com.kychub.inbound.RawBodyFilter",
                "org.apache.catalina.core.ApplicationFilterChain", tomcat);
        expect(Stage.DATABASE, "org.postgresql.core.v3.QueryExecutorImpl", "org.springframework.jdbc.core.JdbcTemplate",
                "com.kychub.inbound.InboxWriter$$Lambda$123/0x0000000801234", "java.lang.Thread");
        expect(Stage.WORKER, "org.postgresql.core.v3.QueryExecutorImpl", "com.kychub.canonical.CanonicalStore",
                "org.apache.camel.impl.engine.DefaultProducerTemplate", "com.kychub.inbound.InboxWorker", route);
        expect(Stage.WORKER, "com.fasterxml.jackson.databind.ObjectMapper", "org.apache.camel.component.jackson.JacksonDataFormat",
                "com.kychub.action.ActionWorker", route);
        if (classify(List.of("org.postgresql.core.v3.QueryExecutorImpl", "com.kychub.canonical.CanonicalStore",
                "com.kychub.inbound.InboxWorker"), false) != Stage.DATABASE) {
            throw new AssertionError("by code, a worker's SQL is the database's");
        }
        expect(Stage.LOGGING, "ch.qos.logback.core.OutputStreamAppender", "org.slf4j.Logger", "com.kychub.inbound.WebhookDoor",
                route, tomcat);
        expect(Stage.POLLER, "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl",
                "org.apache.camel.component.http.HttpProducer", "com.kychub.provider.width.WidthPoller", route);
        expect(Stage.POLLER, "javax.crypto.Mac", "com.kychub.provider.width.HmacSha256WidthSignature",
                "com.kychub.provider.width.WidthClient", route);
        expect(Stage.DATABASE, "org.postgresql.jdbc.PgPreparedStatement", "com.kychub.inbound.Inbox",
                "com.kychub.provider.width.WidthPoller", route);
        expect(Stage.POLLER, "org.apache.camel.processor.ConcurrentRequestsThrottler", route);
        expect(Stage.METRICS, "io.micrometer.core.instrument.Timer", route, tomcat);
        expect(Stage.PROFILER, "jdk.jfr.internal.PlatformRecorder", "java.lang.Thread");
        expect(Stage.OTHER, "java.util.concurrent.locks.LockSupport", "java.lang.Thread");
        expectThread(Stage.JIT, "C2 CompilerThre");
        expectThread(Stage.GC, "GC Thread#1");
        expectThread(Stage.GC, "G1 Conc#0");
        expectThread(Stage.JVM, "VM Thread");
        expectThread(Stage.PROFILER, "JFR Recorder Th");
        expectThread(Stage.PROFILER, "JFR Thread Samp");
        expectThread(null, "JFR Periodic Ta");
        expectThread(null, "http-nio-18082-");
        expectThread(null, "inbox-writer-1");
        System.out.println("JfrStages self-test: every rule gave the expected stage");
    }

    private static void expect(Stage expected, String... classesTopFirst) {
        Stage got = classify(List.of(classesTopFirst));
        if (got != expected) {
            throw new AssertionError("expected " + expected + ", got " + got + " for " + List.of(classesTopFirst));
        }
    }

    private static void expectThread(Stage expected, String name) {
        Stage got = nativeThread(name);
        if (got != expected) {
            throw new AssertionError("expected " + expected + ", got " + got + " for thread '" + name + "'");
        }
    }

    // --- The report -----------------------------------------------------------------------------------------------

    /** A /proc snapshot as profile.sh writes it: "hz H", "process UTIME STIME", then "TID UTIME STIME NAME" lines. */
    record CpuSnapshot(long hz, long processUser, long processSystem, Map<String, Long> threadTicks,
                       Map<String, String> threadNames) {

        static CpuSnapshot read(Path file) throws IOException {
            long hz = 0, user = 0, system = 0;
            Map<String, Long> ticks = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(" ", 4);
                switch (f[0]) {
                    case "hz" -> hz = Long.parseLong(f[1]);
                    case "process" -> {
                        user = Long.parseLong(f[1]);
                        system = Long.parseLong(f[2]);
                    }
                    default -> {
                        ticks.put(f[0], Long.parseLong(f[1]) + Long.parseLong(f[2]));
                        names.put(f[0], f.length > 3 ? f[3] : "");
                    }
                }
            }
            return new CpuSnapshot(hz, user, system, ticks, names);
        }

        double ms(long ticks) {
            return ticks * 1000.0 / hz;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--self-test")) {
            selfTest();
            return;
        }
        String path = "profile";
        long requests = 0;
        int top = 15;
        boolean byOwner = true;
        Path before = null, after = null, recording = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--path" -> path = args[++i];
                case "--requests" -> requests = Long.parseLong(args[++i]);
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--by-code" -> byOwner = false;
                case "--cpu" -> {
                    before = Path.of(args[++i]);
                    after = Path.of(args[++i]);
                }
                default -> recording = Path.of(args[i]);
            }
        }
        if (recording == null || before == null || requests <= 0) {
            System.err.println("usage: java bench/JfrStages.java --path NAME --requests N --cpu BEFORE AFTER [--top N] [--by-code] FILE.jfr");
            System.err.println("       java bench/JfrStages.java --self-test");
            System.exit(2);
        }
        report(path, requests, top, byOwner, CpuSnapshot.read(before), CpuSnapshot.read(after), recording);
    }

    static void report(String path, long requests, int top, boolean byOwner, CpuSnapshot before, CpuSnapshot after, Path recording)
            throws IOException {
        // The samples, by stage and by top frame (self time).
        Map<Stage, Long> samples = new EnumMap<>(Stage.class);
        Map<String, Map<Stage, Long>> self = new HashMap<>();
        long total = 0, truncated = 0, collections = 0;
        Duration pauses = Duration.ZERO;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    collections++;
                    pauses = pauses.plus(event.getDuration("sumOfPauses"));
                }
                if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                List<String> classes = new ArrayList<>(frames.size());
                frames.forEach(frame -> classes.add(frame.getMethod().getType().getName()));
                Stage stage = classify(classes, byOwner);
                samples.merge(stage, 1L, Long::sum);
                RecordedFrame leaf = frames.get(0);
                self.computeIfAbsent(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(),
                        method -> new EnumMap<>(Stage.class)).merge(stage, 1L, Long::sum);
                total++;
                if (event.getStackTrace().isTruncated()) {
                    truncated++;
                }
            }
        }

        // The CPU over the window: the native threads' per thread, the Java threads' as the rest of the process's.
        long processTicks = (after.processUser() + after.processSystem()) - (before.processUser() + before.processSystem());
        double processMs = after.ms(processTicks);
        Map<Stage, Double> cpuMs = new EnumMap<>(Stage.class);
        Map<String, Double> threadGroupMs = new HashMap<>();
        double nativeMs = 0;
        for (Map.Entry<String, Long> thread : after.threadTicks().entrySet()) {
            // A thread started in the window counts from zero.
            double ms = after.ms(thread.getValue() - before.threadTicks().getOrDefault(thread.getKey(), 0L));
            String name = after.threadNames().get(thread.getKey());
            threadGroupMs.merge(name.replaceAll("\\d+", "#"), ms, Double::sum);
            Stage stage = nativeThread(name);
            if (stage != null) {
                cpuMs.merge(stage, ms, Double::sum);
                nativeMs += ms;
            }
        }
        double javaMs = Math.max(0, processMs - nativeMs);
        for (Map.Entry<Stage, Long> stage : samples.entrySet()) {
            cpuMs.merge(stage.getKey(), total == 0 ? 0 : javaMs * stage.getValue() / total, Double::sum);
        }

        double perRequest = processMs / requests;
        System.out.printf(Locale.ROOT, "%s: hub CPU %.0f ms over the window (user %.0f, system %.0f), %d requests: "
                        + "%.3f ms per request; Java threads %.0f ms, the JVM's native threads %.0f ms%n", path,
                processMs, after.ms(after.processUser() - before.processUser()),
                after.ms(after.processSystem() - before.processSystem()), requests, perRequest, javaMs, nativeMs);
        System.out.printf(Locale.ROOT, "  %-24s %9s %7s %15s%n", "stage", "samples", "share", "CPU ms/request");
        StringBuilder machine = new StringBuilder(String.format(Locale.ROOT,
                "RESULT profile-%s requests=%d cpu_ms=%.0f cpu_ms_per_request=%.4f samples=%d", path, requests,
                processMs, perRequest, total));
        double sum = 0;
        for (Stage stage : Stage.values()) {
            double ms = cpuMs.getOrDefault(stage, 0.0);
            Long count = samples.get(stage);
            if (ms == 0 && count == null) {
                continue;
            }
            sum += ms;
            System.out.printf(Locale.ROOT, "  %-24s %9s %6.1f%% %15.4f%n", stage.label,
                    count == null ? "-" : count.toString(), processMs == 0 ? 0 : 100 * ms / processMs, ms / requests);
            machine.append(String.format(Locale.ROOT, " %s=%.4f", stage.name().toLowerCase(Locale.ROOT), ms / requests));
        }
        System.out.printf(Locale.ROOT, "  %-24s %9d %6.1f%% %15.4f   (measured: %.4f ms per request)%n", "total", total,
                processMs == 0 ? 0 : 100 * sum / processMs, sum / requests, perRequest);
        System.out.printf(Locale.ROOT, "  samples: %d execution samples of Java threads (%d with a truncated stack); "
                + "GC: %d collections, %.0f ms of pauses in the recording%n", total, truncated, collections,
                pauses.toNanos() / 1e6);

        long sampled = total;
        System.out.printf("  hot methods (self: the sample's top frame), top %d:%n", top);
        System.out.printf(Locale.ROOT, "  %9s %7s  %-24s %s%n", "samples", "share", "stage (most samples)", "method");
        self.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Map<Stage, Long>> e) -> -sumOf(e.getValue())))
                .limit(top)
                .forEach(e -> {
                    long n = sumOf(e.getValue());
                    Stage stage = e.getValue().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                    System.out.printf(Locale.ROOT, "  %9d %6.1f%%  %-24s %s%n", n, 100.0 * n / sampled, stage.label,
                            e.getKey());
                });

        System.out.println("  threads by CPU, top 8 (names as /proc keeps them, 15 characters, digits as #):");
        System.out.printf(Locale.ROOT, "  %-24s %7s %15s%n", "threads", "share", "CPU ms/request");
        threadGroupMs.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder())).limit(8)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-24s %6.1f%% %15.4f%n", e.getKey(),
                        processMs == 0 ? 0 : 100 * e.getValue() / processMs, e.getValue() / requests));
        System.out.println(machine);
    }

    private static long sumOf(Map<Stage, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
