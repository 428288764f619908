package com.kychub;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fuzzer's generators, for {@link FuzzIntegrationTest}: each call of {@link #next()} draws one scenario (one
 * request, or a few that belong together such as a delivery and its replay) against a webhook, the hub API or a path
 * that does not exist. Every draw comes from the one {@link Random}, so a seed replays the same run.
 * <p>
 * Webhook bodies start as a valid message of the provider and are then mutated by one family (one small method
 * each); unless the family is about authentication, the mutated body is signed correctly, so that it reaches the
 * checks behind the signature.
 */
final class FuzzInputs {

    /** One HTTP request and what the hub must answer to it (beyond the rules every answer follows). */
    record Request(String endpoint, String family, String provider, String method, String path,
                   List<String[]> headers, byte[] body, boolean chunked, Expect expect, boolean raw) {

        Request(String endpoint, String family, String provider, String method, String path, List<String[]> headers,
                byte[] body, boolean chunked, Expect expect) {
            this(endpoint, family, provider, method, path, headers, body, chunked, expect, false);
        }

        boolean isWebhook() {
            return provider != null;
        }

        String header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }
    }

    /**
     * {@code statuses} empty: any answer below 500. {@code ack}: the webhook answer's {@code status} (accepted or
     * duplicate). {@code sameIdAs}: the step of the scenario whose inbox id a duplicate must name.
     */
    record Expect(Set<Integer> statuses, String ack, int sameIdAs) {
        static final Expect ANY = new Expect(Set.of(), null, -1);

        static Expect status(Integer... statuses) {
            return new Expect(Set.of(statuses), null, -1);
        }

        static Expect accepted() {
            return new Expect(Set.of(200), "accepted", -1);
        }

        static Expect duplicateOf(int step) {
            return new Expect(Set.of(200), "duplicate", step);
        }
    }

    /** The secrets of the test context: the fuzzer signs as each provider does. */
    record Keys(String striga, String connectfi, String argos, String ondatoUser, String ondatoPassword,
                String api, String operator) {
    }

    /** What the hub already holds, so that path variables are sometimes real ones. */
    static final class Known {
        final List<String> customers = new ArrayList<>();
        final List<String> cases = new ArrayList<>();
        final List<Long> inboxIds = new ArrayList<>();
    }

    enum Hook {
        STRIGA("striga", "/webhooks/striga/kyc"),
        CONNECTFI("connectfi", "/webhooks/connectfi"),
        ARGOS("argos", "/webhooks/argos"),
        ONDATO("ondato", "/webhooks/ondato");

        final String provider;
        final String path;

        Hook(String provider, String path) {
            this.provider = provider;
            this.path = path;
        }
    }

    enum Api {
        CASES("GET", "/api/v1/cases"),
        CASE_COUNTS("GET", "/api/v1/cases/counts"),
        CASE("GET", "/api/v1/cases/{caseId}"),
        CASE_EVENTS("GET", "/api/v1/cases/{caseId}/events"),
        CUSTOMER_KYC("GET", "/api/v1/customers/{customerId}/kyc"),
        CREATE_CUSTOMER("POST", "/api/v1/customers"),
        UPDATE_CUSTOMER("PATCH", "/api/v1/customers/{customerId}"),
        DOCUMENTS("POST", "/api/v1/customers/{customerId}/documents"),
        ONBOARDINGS("POST", "/api/v1/customers/{customerId}/onboardings"),
        WIDTH_DATA("POST", "/api/v1/customers/{customerId}/data/{kind}"),
        OTP("POST", "/api/v1/customers/{customerId}/otp"),
        OTP_RESEND("POST", "/api/v1/customers/{customerId}/otp/resend"),
        INBOX("GET", "/api/v1/ops/inbox"),
        INBOX_REPLAY("POST", "/api/v1/ops/inbox/{inboxId}/replay"),
        INBOX_REPLAY_ALL("POST", "/api/v1/ops/inbox/replay"),
        ACTIONS("GET", "/api/v1/ops/actions"),
        ACTION_REPLAY("POST", "/api/v1/ops/actions/{actionId}/replay"),
        ACTION_REPLAY_ALL("POST", "/api/v1/ops/actions/replay"),
        STALLED_CASES("GET", "/api/v1/ops/cases"),
        CASE_MESSAGES("GET", "/api/v1/ops/cases/{caseId}/messages");

        final String method;
        final String template;

        Api(String method, String template) {
            this.method = method;
            this.template = template;
        }

        /** An endpoint of the operator scope: an integration key is refused there with 403. */
        boolean operator() {
            return template.startsWith("/api/v1/ops/");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STRIGA_STATUSES = {"NOT_STARTED", "INITIATED", "PENDING_REVIEW", "ON_HOLD",
            "APPROVED", "REJECTED", "REJECTED_FINAL"};
    private static final String[] CONNECTFI_EVENTS = {"CUSTOMER_CREATED", "CUSTOMER_UPDATED", "CUSTOMER_KYC_STARTED",
            "CUSTOMER_KYC_SDK_FLOW_REQUIRED", "CUSTOMER_KYC_SDK_FLOW_COMPLETED", "CUSTOMER_KYC_FINISHED",
            "CUSTOMER_KYC_ERROR"};
    // No "delete": erasure rewrites stored bodies, and the run checks every stored body against what was sent.
    private static final String[] ARGOS_TRIGGERS = {"submit", "approved", "rejected", "updated", "aml", "injection"};
    private static final String[] ONDATO_TYPES = {"KycIdentification.Created", "KycIdentification.Approved",
            "KycIdentification.Rejected", "IdentityVerification.Completed", "Idv.Consented"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE",
            "PROPFIND", "FUZZ"};
    /** Strings that are hard on ids: direction overrides, emoji, combining marks, zero widths, noncharacters. */
    private static final String[] ODD_TEXT = {"\u202Eevil\u202C", "\u200F\u05D0\u05D1", "👩‍👩‍👧‍👦", "🧪🦄",
            "Z\u0351\u0358\u0336a\u0335\u0321l\u0334g\u0337o", "Jose\u0301", "Jos\u00E9", "\u200B", "\uFEFFid",
            "\uFFFF\uFFFE", "\u2028\u2029", "\u0085", "nul\u0000byte", "ｆｕｌｌｗｉｄｔｈ１２３", "ǅ", "ﬁ", "İı", "\u00A0", "𝕏", "\t\n\r"};
    private static final String[] LONE_SURROGATES = {"\\ud800", "\\udfff", "a\\ud800b", "\\udc00\\ud800",
            "\\ud83d", "x\\udbff"};

    private final Random random;
    private final Keys keys;
    private final int webhookLimit;
    private final int apiLimit;
    private final Known known;
    private int serial;

    FuzzInputs(Random random, Keys keys, int webhookLimit, int apiLimit, Known known) {
        this.random = random;
        this.keys = keys;
        this.webhookLimit = webhookLimit;
        this.apiLimit = apiLimit;
        this.known = known;
    }

    /** The next scenario: its requests are sent in order, each checked on its own. */
    List<Request> next() {
        int draw = random.nextInt(100);
        List<Request> scenario;
        if (draw < 60) {
            scenario = webhook(pick(Hook.values()));
        } else if (draw < 93) {
            scenario = List.of(api(pick(Api.values())));
        } else if (draw < 97) {
            scenario = List.of(unknownPath());
        } else {
            return List.of(malformedHttp());
        }
        return random.nextInt(5) == 0 ? scenario.stream().map(this::withAccept).toList() : scenario;
    }

    /** Whatever the caller says it accepts, errors come as JSON. */
    private Request withAccept(Request request) {
        List<String[]> headers = new ArrayList<>(request.headers());
        String accept = pick(new String[] {"text/html", "application/xml", "text/plain", "*/*", "image/png",
                "application/json;q=0", "text/html, application/xhtml+xml", "garbage"});
        headers.add(h("Accept", accept));
        return new Request(request.endpoint(), request.family() + ", accept " + accept, request.provider(),
                request.method(), request.path(), headers, request.body(), request.chunked(), request.expect());
    }

    // ---------------------------------------------------------------------------------------------- webhooks

    private List<Request> webhook(Hook hook) {
        int draw = random.nextInt(100);
        if (draw < 8) {
            return List.of(valid(hook));
        }
        if (draw < 40) {
            return List.of(malformed(hook));
        }
        if (draw < 54) {
            return List.of(unicode(hook));
        }
        if (draw < 66) {
            return List.of(badCredentials(hook));
        }
        if (draw < 74) {
            return List.of(contentType(hook));
        }
        if (draw < 80) {
            return List.of(wrongMethod(hook));
        }
        if (draw < 88) {
            return List.of(size(hook));
        }
        if (draw < 90) {
            return lookAlikeIds(hook);
        }
        if (draw < 92) {
            return loneSurrogatePair(hook);
        }
        if (draw < 96) {
            return replayedSignature(hook);
        }
        return sameRequestTwice(hook);
    }

    Request valid(Hook hook) {
        return signed(hook, "valid", bytes(message(hook, uniqueId())), Expect.accepted());
    }

    /** A valid message mutated by one family, signed correctly: the hub must refuse it or store it as sent. */
    private Request malformed(Hook hook) {
        ObjectNode message = message(hook, uniqueId());
        List<Named<Supplier<byte[]>>> families = List.of(
                named("truncated", () -> truncated(bytes(message))),
                named("bytes flipped", () -> flipped(bytes(message))),
                named("field removed", () -> bytes(removedField(message))),
                named("field retyped", () -> bytes(retypedField(message))),
                named("field duplicated", () -> duplicatedField(bytes(message))),
                named("extra fields", () -> bytes(extraFields(message))),
                named("huge string", () -> bytes(hugeString(message))),
                named("huge number", () -> hugeNumber(bytes(message))),
                named("deep nesting", () -> deepNesting(bytes(message))),
                named("array for object", () -> arrayForObject(message)),
                named("not an object", this::notAnObject),
                named("trailing content", () -> trailingContent(bytes(message))));
        Named<Supplier<byte[]>> family = pick(families);
        return signed(hook, family.name(), family.value().get(), alwaysRefused(family.name()));
    }

    /** Families whose every body is malformed JSON (or not storable text): the door must answer 400. */
    private static Expect alwaysRefused(String family) {
        return Set.of("truncated", "field duplicated", "not an object", "overlong UTF-8", "raw surrogate bytes",
                "raw NUL", "escaped NUL", "lone surrogate escape").contains(family) ? Expect.status(400) : Expect.ANY;
    }

    private Request unicode(Hook hook) {
        ObjectNode message = message(hook, uniqueId());
        List<Named<Supplier<byte[]>>> families = List.of(
                named("invalid UTF-8", () -> insertInString(bytes(message), randomHighBytes())),
                named("overlong UTF-8", () -> insertInString(bytes(message), pick(OVERLONG))),
                named("raw surrogate bytes", () -> insertInString(bytes(message), pick(RAW_SURROGATES))),
                named("BOM", () -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(message))),
                named("raw NUL", () -> insertInString(bytes(message), new byte[] {0})),
                named("escaped NUL", () -> escapedInId(hook, message, "\\u0000")),
                named("lone surrogate escape", () -> escapedInId(hook, message, pick(LONE_SURROGATES))),
                named("odd characters in id", () -> bytes(message(hook, uniqueId() + pick(ODD_TEXT)))),
                named("odd characters everywhere", () -> oddEverywhere(message)));
        Named<Supplier<byte[]>> family = pick(families);
        return signed(hook, family.name(), family.value().get(), alwaysRefused(family.name()));
    }

    private Request badCredentials(Hook hook) {
        byte[] body = bytes(message(hook, uniqueId()));
        if (hook == Hook.ONDATO) {
            return ondatoCredentials(body);
        }
        String header = hook == Hook.STRIGA ? "signature" : "X-Signature";
        String good = hmacHex(secret(hook), body);
        List<Named<List<String[]>>> families = List.of(
                named("signature missing", headers()),
                named("signature empty", headers(h(header, ""))),
                named("signature of another key", headers(h(header, hmacHex("not-the-key", body)))),
                named("signature truncated", headers(h(header, good.substring(0, random.nextInt(good.length()))))),
                named("signature not hex", headers(h(header, "zz" + good.substring(2)))),
                named("signature with odd bytes", headers(h(header, latin1(pick(ODD_TEXT) + good)))),
                named("signature too long", headers(h(header, good + good))),
                named("signature base64", headers(h(header, Base64.getEncoder().encodeToString(
                        HexFormat.of().parseHex(good))))),
                named("signature header renamed", headers(h(header + "-x", good))),
                named("signature twice, one wrong", headers(h(header, hmacHex("x", body)), h(header, good))));
        Named<List<String[]>> family = pick(families);
        List<String[]> headers = new ArrayList<>(family.value());
        headers.add(h("Content-Type", "application/json"));
        return new Request(hook.path + " POST", family.name(), hook.provider, "POST", hook.path, headers, body, false,
                family.name().equals("signature twice, one wrong") ? Expect.ANY : Expect.status(401));
    }

    private Request ondatoCredentials(byte[] body) {
        String user = keys.ondatoUser();
        String password = keys.ondatoPassword();
        List<Named<String>> families = List.of(
                named("basic missing", null),
                named("basic empty", "Basic "),
                named("basic wrong password", basic(user, password + "x")),
                named("basic wrong user", basic(user.toUpperCase(), password)),
                named("basic not base64", "Basic !!!" + pick(ODD_TEXT).length()),
                named("basic without colon", "Basic " + base64(user + password)),
                named("bearer instead of basic", "Bearer " + password),
                named("basic with odd bytes", latin1("Basic " + base64(user + ":" + password + pick(ODD_TEXT)))),
                named("basic prefix only", "Basic"));
        Named<String> family = pick(families);
        List<String[]> headers = new ArrayList<>();
        headers.add(h("Content-Type", "application/json"));
        if (family.value() != null) {
            headers.add(h("Authorization", family.value()));
        }
        return new Request(Hook.ONDATO.path + " POST", family.name(), Hook.ONDATO.provider, "POST", Hook.ONDATO.path,
                headers, body, false, Expect.status(401));
    }

    private Request contentType(Hook hook) {
        List<Named<Expect>> types = List.of(
                named("", Expect.status(415)),
                named("text/plain", Expect.status(415)),
                named("application/x-www-form-urlencoded", Expect.status(415)),
                named("multipart/form-data; boundary=fuzz", Expect.status(415)),
                named("application/jsonx", Expect.status(415)),
                named("*/*", Expect.status(415)),
                named("application/json; charset=utf-16", Expect.ANY),
                named("application/json; charset=\"", Expect.ANY),
                named("application/json;;;charset=no-such-charset", Expect.ANY),
                named("APPLICATION/JSON", Expect.accepted()),
                named("application/vnd.provider.event+json", Expect.accepted()),
                named("application/json; charset=ISO-8859-1", Expect.ANY),
                named(latin1("application/json; charset=" + pick(ODD_TEXT)), Expect.ANY));
        Named<Expect> type = pick(types);
        Request signed = signed(hook, "content type " + type.name(), bytes(message(hook, uniqueId())), type.value());
        List<String[]> headers = new ArrayList<>(signed.headers());
        headers.removeIf(header -> header[0].equals("Content-Type"));
        if (!type.name().isEmpty()) {
            headers.add(h("Content-Type", type.name()));
        }
        return with(signed, headers, signed.body(), false);
    }

    private Request wrongMethod(Hook hook) {
        String method = pick(METHODS);
        while (method.equals("POST")) {
            method = pick(METHODS);
        }
        Request signed = signed(hook, "method " + method, bytes(message(hook, uniqueId())),
                Set.of("GET", "PUT", "PATCH", "DELETE").contains(method) ? Expect.status(405) : Expect.ANY);
        return new Request(hook.path + " " + method, signed.family(), hook.provider, method, hook.path,
                signed.headers(), signed.body(), false, signed.expect());
    }

    /** Bodies just under and just over the size limit, sent with a length or chunked. */
    private Request size(Hook hook) {
        boolean over = random.nextBoolean();
        boolean chunked = random.nextBoolean();
        int target = over ? webhookLimit + 1 + random.nextInt(random.nextBoolean() ? 16 : 3 * webhookLimit)
                : webhookLimit - random.nextInt(16);
        ObjectNode message = message(hook, uniqueId());
        int overhead = bytes(message.deepCopy().put("pad", "")).length;
        message.put("pad", "p".repeat(Math.max(0, target - overhead)));
        String family = (over ? "over" : "under") + " the limit" + (chunked ? ", chunked" : "");
        Request signed = signed(hook, family, bytes(message), over ? Expect.status(413) : Expect.accepted());
        return with(signed, signed.headers(), signed.body(), chunked);
    }

    /** The same message with its id in NFC and in NFD: two different messages, neither a duplicate of the other. */
    private List<Request> lookAlikeIds(Hook hook) {
        String id = uniqueId() + "-Jos\u00E9-\u00C5ngstr\u00F6m";
        return List.of(
                signed(hook, "look-alike id (NFC)", bytes(message(hook, Normalizer.normalize(id, Normalizer.Form.NFC))),
                        Expect.accepted()),
                signed(hook, "look-alike id (NFD)", bytes(message(hook, Normalizer.normalize(id, Normalizer.Form.NFD))),
                        Expect.accepted()));
    }

    /**
     * Two messages whose ids differ only in a lone surrogate escape: not Unicode text, and two different messages
     * whatever the hub makes of them.
     */
    private List<Request> loneSurrogatePair(Hook hook) {
        String marker = "@@" + uniqueId() + "@@";
        String id = uniqueId();
        String text = text(message(hook, marker));
        return List.of(
                signed(hook, "lone surrogate pair (first)", text.replace(marker, id + "\\ud800")
                        .getBytes(StandardCharsets.UTF_8), Expect.ANY),
                signed(hook, "lone surrogate pair (second)", text.replace(marker, id + "\\udbff")
                        .getBytes(StandardCharsets.UTF_8), Expect.ANY));
    }

    /** A valid delivery, then another body carrying the first one's credentials: a forged replay. */
    private List<Request> replayedSignature(Hook hook) {
        Request first = valid(hook);
        byte[] other = bytes(message(hook, uniqueId()));
        Request replay = new Request(first.endpoint(), "replayed signature, other body", hook.provider, "POST",
                hook.path, first.headers(), other, false,
                hook == Hook.ONDATO ? Expect.accepted() : Expect.status(401));
        return List.of(first, replay);
    }

    /** The same valid request twice: the second is a duplicate and changes nothing. */
    private List<Request> sameRequestTwice(Hook hook) {
        Request first = valid(hook);
        return List.of(first, new Request(first.endpoint(), "same request again", hook.provider, "POST", hook.path,
                first.headers(), first.body(), random.nextBoolean(), Expect.duplicateOf(0)));
    }

    private Request signed(Hook hook, String family, byte[] body, Expect expect) {
        List<String[]> headers = new ArrayList<>();
        headers.add(h("Content-Type", "application/json"));
        switch (hook) {
            case STRIGA -> headers.add(h("signature", hmacHex(keys.striga(), body)));
            case CONNECTFI -> headers.add(h("X-Signature", hmacHex(keys.connectfi(), body)));
            case ARGOS -> headers.add(h("X-Signature", random.nextBoolean() ? hmacHex(keys.argos(), body)
                    : "sha256=" + hmacHex(keys.argos(), body).toUpperCase()));
            case ONDATO -> headers.add(h("Authorization", basic(keys.ondatoUser(), keys.ondatoPassword())));
        }
        return new Request(hook.path + " POST", family, hook.provider, "POST", hook.path, headers, body, false, expect);
    }

    private String secret(Hook hook) {
        return switch (hook) {
            case STRIGA -> keys.striga();
            case CONNECTFI -> keys.connectfi();
            case ARGOS -> keys.argos();
            case ONDATO -> keys.ondatoPassword();
        };
    }

    /** A valid message of the provider, as its doc shows it, with {@code id} as its subject. */
    ObjectNode message(Hook hook, String id) {
        ObjectNode message = JSON.createObjectNode();
        switch (hook) {
            case STRIGA -> {
                message.put("userId", id).put("status", pick(STRIGA_STATUSES));
                message.putArray("details").add("UNSATISFACTORY_PHOTOS");
                message.putObject("rejectionComments").put("userComment", "Name missing").put("autoComment", "x");
                message.put("ts", 1763800000000L + random.nextInt(1_000_000));
            }
            case CONNECTFI -> {
                message.put("eventType", pick(CONNECTFI_EVENTS));
                message.putObject("data").put("customerId", id).put("onboardingId", "onb-" + id)
                        .put("status", "IN_PROGRESS");
            }
            case ARGOS -> {
                message.put("webhook_trigger", pick(ARGOS_TRIGGERS)).put("submission_id", "sub-" + id)
                        .put("userid", id);
                message.putObject("kyc_result").put("status", "approved").put("updated_at", "2024-03-04 09:30:02");
                message.putArray("addtional_list").addObject().put("answer", "Occupation").put("inputValue", "x");
            }
            case ONDATO -> {
                message.put("id", id).put("applicationId", UUID.randomUUID().toString())
                        .put("createdUtc", "2024-01-01T10:00:00Z").put("deliveredUtc", "2024-01-01T10:00:01Z")
                        .put("isDelivered", true).put("type", pick(ONDATO_TYPES));
                message.putObject("payload").put("id", "idv-" + id).put("status", "Approved");
            }
        }
        return message;
    }

    // ------------------------------------------------------------------------------------- body mutations

    private byte[] truncated(byte[] body) {
        return java.util.Arrays.copyOf(body, random.nextInt(body.length));
    }

    private byte[] flipped(byte[] body) {
        byte[] copy = body.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return copy;
    }

    private JsonNode removedField(ObjectNode message) {
        ObjectNode target = randomObject(message);
        if (!target.isEmpty()) {
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            target.remove(pick(names));
        }
        return message;
    }

    private JsonNode retypedField(ObjectNode message) {
        ObjectNode target = randomObject(message);
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        target.set(names.isEmpty() ? "x" : pick(names), randomValue());
        return message;
    }

    /** {@code {"a": 1, "a": 2}}: valid JSON text, ambiguous meaning. */
    private byte[] duplicatedField(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String name = text.substring(2, text.indexOf('"', 2));
        return ("{\"" + name + "\":" + text(randomValue()) + "," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode extraFields(ObjectNode message) {
        ObjectNode target = randomObject(message);
        String[] names = {"", "__proto__", "constructor", "$where", "x".repeat(1000), "a.b", "a\u0000b", "ünï"};
        for (int n = 1 + random.nextInt(50); n > 0; n--) {
            target.set(random.nextBoolean() ? pick(names) + n : pick(ODD_TEXT) + n, randomValue());
        }
        return message;
    }

    private JsonNode hugeString(ObjectNode message) {
        ObjectNode target = randomObject(message);
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String filler = pick(new String[] {"x", "é", "😀", "\\", "\"", "\u202E"});
        target.put(names.isEmpty() ? "huge" : pick(names), filler.repeat(1 + random.nextInt(webhookLimit / 8)));
        return message;
    }

    private byte[] hugeNumber(byte[] body) {
        String[] numbers = {"1" + "0".repeat(400), "1" + "0".repeat(1200), "1e999999", "-1e-999999",
                "9223372036854775808", "-9223372036854775809", "0." + "0".repeat(2000) + "1", "1.7976931348623157e309",
                "NaN", "Infinity", "-0", "0x10", "01"};
        return withRawValue(body, pick(numbers));
    }

    private byte[] deepNesting(byte[] body) {
        int depth = pick(new Integer[] {100, 999, 1000, 1001, 1500, 5000, 20000});
        boolean arrays = random.nextBoolean();
        boolean closed = random.nextInt(4) > 0;
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        String nested = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
        return withRawValue(body, nested);
    }

    /** The whole message, or one of its objects, as an array. */
    private byte[] arrayForObject(ObjectNode message) {
        if (random.nextBoolean()) {
            return ("[" + text(message) + "]").getBytes(StandardCharsets.UTF_8);
        }
        List<String> objects = new ArrayList<>();
        message.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                objects.add(field.getKey());
            }
        });
        if (!objects.isEmpty()) {
            String name = pick(objects);
            ArrayNode array = JSON.createArrayNode().add(message.get(name));
            message.set(name, array);
        }
        return bytes(message);
    }

    private byte[] notAnObject() {
        return pick(new String[] {"", " ", " \t\r\n ", "null", "true", "false", "\"str\"", "123", "-1.5e3", "[]",
                "{}", "[{}]", "{", "}", "\"", "{\"\":}", "{'single':'quotes'}", "{a:1}", "/* comment */ {}",
                "{\"a\":1,}", "\u0000", "\uFEFF", "{}{}"}).getBytes(StandardCharsets.UTF_8);
    }

    /** Content after the message: a second value, NUL, or garbage. */
    private byte[] trailingContent(byte[] body) {
        byte[] tail = pick(new byte[][] {"garbage".getBytes(StandardCharsets.UTF_8), {'}'}, {0}, {'{', '}'},
                {' ', 'n', 'u', 'l', 'l'}, {'\n', '\n'}, {'[', '1'}, {(byte) 0xFF}});
        return concat(body, tail);
    }

    private byte[] oddEverywhere(ObjectNode message) {
        java.util.Deque<JsonNode> pending = new java.util.ArrayDeque<>(List.of(message));
        while (!pending.isEmpty()) {
            pending.pop().fields().forEachRemaining(field -> {
                if (field.getValue().isTextual() && random.nextBoolean()) {
                    field.setValue(JSON.getNodeFactory().textNode(field.getValue().asText() + pick(ODD_TEXT)));
                }
                pending.push(field.getValue());
            });
        }
        return bytes(message);
    }

    /** Appends an escape sequence (kept as written) to a random string value anywhere in the body. */
    private byte[] escapedInValue(byte[] body, String escape) {
        ObjectNode parsed = parseObject(body);
        if (parsed == null) {
            return body;
        }
        List<ObjectNode> holders = new ArrayList<>();
        List<String> names = new ArrayList<>();
        java.util.Deque<JsonNode> pending = new java.util.ArrayDeque<>(List.of(parsed));
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual()) {
                    holders.add((ObjectNode) node);
                    names.add(field.getKey());
                }
                pending.push(field.getValue());
            });
        }
        if (holders.isEmpty()) {
            return body;
        }
        int chosen = random.nextInt(holders.size());
        String marker = "@@" + uniqueId() + "@@";
        String value = holders.get(chosen).get(names.get(chosen)).asText();
        holders.get(chosen).put(names.get(chosen), marker);
        return text(parsed).replace(marker, value + escape).getBytes(StandardCharsets.UTF_8);
    }

    /** Puts an escape sequence (kept as written, e.g. a lone surrogate) into the message's subject id. */
    private byte[] escapedInId(Hook hook, ObjectNode message, String escape) {
        String marker = "@@" + uniqueId() + "@@";
        ObjectNode withMarker = message(hook, marker);
        String text = text(withMarker).replace(marker, uniqueId() + escape);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[][] OVERLONG = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF},
            {(byte) 0xC0, (byte) 0x80}};
    private static final byte[][] RAW_SURROGATES = {{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED,
            (byte) 0xB8, (byte) 0x80}};

    private byte[] randomHighBytes() {
        byte[] bytes = new byte[1 + random.nextInt(3)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (0x80 + random.nextInt(0x80));
        }
        return bytes;
    }

    /** Inserts bytes right after the opening quote of a random string in the body. */
    private byte[] insertInString(byte[] body, byte[] inserted) {
        List<Integer> quotes = new ArrayList<>();
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '"') {
                quotes.add(i);
            }
        }
        int at = quotes.isEmpty() ? 0 : pick(quotes) + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(inserted);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    /** Replaces the value of the body's first field by raw JSON text (numbers, nesting Jackson would not write). */
    private byte[] withRawValue(byte[] body, String raw) {
        String text = new String(body, StandardCharsets.UTF_8);
        return ("{\"fuzz\":" + raw + "," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode randomObject(ObjectNode message) {
        List<ObjectNode> objects = new ArrayList<>();
        objects.add(message);
        message.forEach(value -> {
            if (value.isObject()) {
                objects.add((ObjectNode) value);
            }
        });
        return pick(objects);
    }

    private JsonNode randomValue() {
        List<Supplier<JsonNode>> values = List.of(
                () -> JSON.nullNode(), () -> JSON.getNodeFactory().booleanNode(random.nextBoolean()),
                () -> JSON.getNodeFactory().numberNode(random.nextLong()),
                () -> JSON.getNodeFactory().numberNode(random.nextDouble() * 1e300),
                () -> JSON.getNodeFactory().numberNode(new java.math.BigInteger(600, random)),
                () -> JSON.getNodeFactory().textNode(""), () -> JSON.getNodeFactory().textNode("   "),
                () -> JSON.getNodeFactory().textNode(pick(ODD_TEXT)),
                () -> JSON.getNodeFactory().textNode("x".repeat(random.nextInt(5000))),
                () -> JSON.createArrayNode(), () -> JSON.createObjectNode(),
                () -> JSON.createArrayNode().add(1).add("two").addNull(),
                () -> JSON.createObjectNode().put("nested", pick(STRIGA_STATUSES)));
        return pick(values).get();
    }

    // ---------------------------------------------------------------------------------------------- hub API

    private Request api(Api endpoint) {
        String family = "";
        String method = endpoint.method;
        if (random.nextInt(8) == 0) {
            method = pick(METHODS);
            family = "method " + method + ", ";
        }
        String path = endpoint.template;
        boolean realVariables = random.nextInt(3) > 0;
        if (!realVariables) {
            family += "fuzzed path variables, ";
        }
        path = path.replace("{caseId}", realVariables && !known.cases.isEmpty() ? pick(known.cases) : fuzzedId())
                .replace("{customerId}", realVariables && !known.customers.isEmpty()
                        ? pick(known.customers) : fuzzedId())
                .replace("{inboxId}", realVariables && !known.inboxIds.isEmpty()
                        ? String.valueOf(pick(known.inboxIds)) : fuzzedNumber())
                .replace("{actionId}", realVariables ? String.valueOf(1 + random.nextInt(50)) : fuzzedNumber())
                .replace("{kind}", realVariables ? pick(new String[] {"particulars", "identity-document", "liveness",
                        "documents", "forms"}) : fuzzedId());
        boolean takesQuery = endpoint == Api.CASES || endpoint == Api.CASE_COUNTS || endpoint == Api.CASE_EVENTS
                || endpoint == Api.INBOX || endpoint == Api.INBOX_REPLAY_ALL || endpoint == Api.ACTIONS
                || endpoint == Api.ACTION_REPLAY_ALL || endpoint == Api.STALLED_CASES;
        if (random.nextInt(takesQuery ? 2 : 4) == 0) {
            path += "?" + fuzzedQuery(endpoint);
            family += "query, ";
        }
        byte[] body = "POST PATCH".contains(endpoint.method) || random.nextInt(6) == 0 ? apiBody(endpoint) : null;
        boolean bodyMutated = body != null && random.nextInt(3) == 0;
        if (bodyMutated) {
            Named<byte[]> mutated = mutatedApiBody(body);
            body = mutated.value();
            family += mutated.name() + ", ";
        }
        List<String[]> headers = new ArrayList<>();
        Named<String> auth = apiAuthorization(endpoint);
        family += auth.name();
        if (auth.value() != null) {
            headers.add(h("Authorization", auth.value()));
        }
        if (body != null) {
            String type = random.nextInt(6) == 0 ? pick(new String[] {"text/plain", "application/xml",
                    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
                    "application/problem+json", ""}) : "application/json";
            if (!type.equals("application/json")) {
                family += ", content type " + type;
            }
            if (!type.isEmpty()) {
                headers.add(h("Content-Type", type));
            }
        }
        boolean goodKey = auth.name().startsWith("good key");
        boolean wrongScope = auth.name().startsWith("wrong scope");
        boolean plainPath = realVariables && !path.contains("?");
        // Tomcat refuses TRACE before any filter, and Spring Security's firewall a method outside the standard ones
        // (400), both before the key is looked at.
        boolean keyLookedAt = plainPath && (body == null || body.length <= apiLimit)
                && Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS").contains(method);
        Expect expect = !keyLookedAt || goodKey ? Expect.ANY : Expect.status(wrongScope ? 403 : 401);
        return new Request(endpoint.template + " " + method, family, null, method, path, headers, body,
                body != null && random.nextInt(10) == 0, expect);
    }

    /**
     * The endpoint's key (an operator endpoint's is the operator key; an integration endpoint takes either), or one of
     * the ways to get it wrong, an integration key on an operator endpoint among them.
     */
    private Named<String> apiAuthorization(Api endpoint) {
        String key = endpoint.operator() || random.nextInt(5) == 0 ? keys.operator() : keys.api();
        int draw = random.nextInt(100);
        if (draw < 65) {
            return named("good key", "Bearer " + key);
        }
        if (draw < 70 && endpoint.operator()) {
            return named("wrong scope: integration key", "Bearer " + keys.api());
        }
        return pick(List.of(
                named("good key, lower-case scheme", "bearer " + key),
                named("no key", null),
                named("empty key", "Bearer "),
                named("wrong key", "Bearer " + key + "x"),
                named("key prefix", "Bearer " + key.substring(0, key.length() - 1)),
                named("basic scheme", "Basic " + base64(key)),
                named("key without scheme", key),
                named("odd bytes in key", latin1("Bearer " + pick(ODD_TEXT))),
                // Long, yet with a long path variable and query still under Tomcat's 8 KB for the header block: over
                // it, Tomcat answers 400 and closes, and a client still sending a body may read a reset instead.
                // The raw family sends an oversized header block without a body.
                named("very long key", "Bearer " + "k".repeat(1500))));
    }

    private byte[] apiBody(Api endpoint) {
        ObjectNode body = JSON.createObjectNode();
        switch (endpoint) {
            case CREATE_CUSTOMER -> {
                body.put("customerId", "fz-" + uniqueId());
                body.put("email", "fuzz" + serial + "@example.com");
                body.putObject("kyc").put("nationality", "DE").put("occupation", "ENGINEER")
                        .putObject("mainAddress").put("countryCode", "DE").put("city", "Berlin");
            }
            case UPDATE_CUSTOMER -> body.put("email", "changed" + serial + "@example.com")
                    .putObject("kyc").put("occupation", "TEACHER");
            case DOCUMENTS -> body.put("type", pick(new String[] {"W9", "SOURCE_OF_FUNDS", "PASSPORT"}))
                    .put("fileName", "doc.pdf").put("contentType", "application/pdf")
                    .put("content", base64("%PDF-1.4 fuzz"));
            case ONBOARDINGS -> body.put("provider", pick(new String[] {"connectfi", "ondato", "width", "striga",
                    "nobody"}));
            case WIDTH_DATA -> {
                return bytes(widthData());
            }
            case OTP -> body.put("code", pick(new String[] {"123456", "12", "abcdef", "1234567890123"}));
            default -> body.put("unexpected", true);
        }
        return bytes(body);
    }

    private JsonNode widthData() {
        return pick(List.<Supplier<JsonNode>>of(
                () -> JSON.createObjectNode().put("name", "Test Person").put("dateOfBirth", "1990-01-01")
                        .put("nationality", "DE").put("phone", "+49 30 1234567"),
                () -> JSON.createObjectNode().put("frontImage", "https://example.com/f.jpg")
                        .put("documentType", "PASSPORT").put("region", "DE"),
                () -> {
                    ObjectNode liveness = JSON.createObjectNode().put("status", "PASSED");
                    liveness.putObject("scores").put("face", 0.99);
                    liveness.putObject("images").put("selfie", "https://example.com/s.jpg");
                    return liveness;
                },
                () -> {
                    ArrayNode documents = JSON.createArrayNode();
                    documents.addObject().put("docType", "PROOF_OF_ADDRESS").putObject("doc").put("url", "u");
                    return documents;
                },
                () -> {
                    ArrayNode forms = JSON.createArrayNode();
                    forms.addObject().put("formId", "f-1").putObject("formData").put("q", "a");
                    return forms;
                })).get();
    }

    private Named<byte[]> mutatedApiBody(byte[] body) {
        if (random.nextInt(60) == 0) {
            // The API's limit is megabytes: rare, or they would take most of the run's time.
            return named("body over the limit", concat(body, new byte[apiLimit]));
        }
        ObjectNode parsed = parseObject(body);
        List<Named<Supplier<byte[]>>> families = List.of(
                named("body truncated", () -> truncated(body)),
                named("body bytes flipped", () -> flipped(body)),
                named("body not an object", this::notAnObject),
                named("body field retyped", () -> parsed == null ? body : bytes(retypedField(parsed))),
                named("body field removed", () -> parsed == null ? body : bytes(removedField(parsed))),
                named("body deep nesting", () -> deepNesting(body)),
                named("body huge number", () -> hugeNumber(body)),
                named("body invalid UTF-8", () -> insertInString(body, randomHighBytes())),
                named("body lone surrogate", () -> insertInString(body,
                        pick(LONE_SURROGATES).getBytes(StandardCharsets.UTF_8))),
                named("body escaped NUL", () -> escapedInValue(body, "\\u0000")),
                named("body lone surrogate in a value", () -> escapedInValue(body, pick(LONE_SURROGATES))),
                named("body trailing content", () -> trailingContent(body)),
                named("body odd characters", () -> insertInString(body,
                        pick(ODD_TEXT).getBytes(StandardCharsets.UTF_8))),
                named("body extra fields", () -> parsed == null ? body : bytes(extraFields(parsed))),
                named("body odd characters in values", () -> parsed == null ? body : oddEverywhere(parsed)));
        Named<Supplier<byte[]>> family = pick(families);
        return named(family.name(), family.value().get());
    }

    private String fuzzedId() {
        return pick(List.<Supplier<String>>of(
                () -> UUID.randomUUID().toString(),
                () -> UUID.randomUUID().toString().toUpperCase(),
                () -> UUID.randomUUID().toString().replace("-", ""),
                () -> "00000000-0000-0000-0000-000000000000",
                () -> "not-a-uuid",
                () -> "%20",
                () -> "%00",
                () -> "%C0%AF",
                () -> "%FF%FE",
                () -> "%ED%A0%80",
                () -> "..",
                () -> "%2E%2E",
                () -> "%2F",
                () -> "%5C",
                () -> "a;b=c",
                () -> "%25",
                () -> percentEncoded(pick(ODD_TEXT)),
                () -> percentEncoded(Normalizer.normalize("José", Normalizer.Form.NFD)),
                () -> "x".repeat(1 + random.nextInt(300)),
                () -> "y".repeat(4000),
                () -> "1e3",
                () -> "-1",
                () -> "drop%20table%20customer;--",
                () -> "%7B%7D")).get();
    }

    private String fuzzedNumber() {
        return pick(new String[] {"0", "-1", "9223372036854775807", "9223372036854775808", "1e3", "0x10", "abc",
                "%00", "1.5", "%EF%BC%91", "99999999999999999999999"});
    }

    private String fuzzedQuery(Api endpoint) {
        String[] names = switch (endpoint) {
            case CASES, CASE_COUNTS -> new String[] {"provider", "providerRef", "status", "nextAction", "customerId",
                "search", "updatedSince", "stalledFor", "limit", "after", "x"};
            case CASE_EVENTS -> new String[] {"limit", "after", "x"};
            case INBOX -> new String[] {"state", "provider", "limit", "after", "x"};
            case INBOX_REPLAY_ALL, ACTION_REPLAY_ALL -> new String[] {"provider", "provider", "dryRun", "x"};
            case ACTIONS -> new String[] {"state", "provider", "limit", "after", "x"};
            case STALLED_CASES -> new String[] {"stalledFor", "stalledFor", "limit", "after", "x"};
            default -> new String[] {"provider", "providerRef", "state", "limit", "x", ""};
        };
        String[] values = {"", "striga", "ACCEPTED", "DEAD", "LOST", "-1", "0", "1000", "1001", "abc", "APPROVED",
                "WAIT", "true", "2026-01-01T00:00:00Z", "MTI", "MTI6eA", "MTo5OTk5OTk5OTk5OTk5OTk5OTk5OTk",
                "PT24H", "P1D", "-PT1H", "PT0S", "P9999999999D", "PT2562047788015215H", "9999999999999", "%00", "a%00b", "%FF", "DROP%20TABLE", percentEncoded(pick(ODD_TEXT)), "a".repeat(500),
                "%C0%AF", "%ED%A0%80", "striga%00"};
        StringBuilder query = new StringBuilder();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(pick(names)).append(random.nextInt(5) == 0 ? "" : "=" + pick(values));
        }
        if (random.nextInt(10) == 0) {
            query.append("&limit=1&limit=2");
        }
        return query.toString();
    }

    private Request unknownPath() {
        String path = pick(new String[] {"/", "/api", "/api/", "/api/v1", "/api/v1/", "/api/v2/cases",
                "/api/v1/cases/", "/api/v1/nothing", "/api/v1/customers/x/unknown", "/webhooks", "/webhooks/",
                "/webhooks/striga", "/webhooks/striga/kyc/", "/webhooks/striga/kyc/extra", "/webhooks/unknown",
                "/webhooks/STRIGA/kyc", "/webhooks/width", "/api/v1/../v1/cases", "/webhooks/%2E%2E/api/v1/cases",
                "/api/v1/cases;x=1", "/sandbox/striga/users/u/kyc", "/nothing-here", "/actuator/nothing",
                "/webhooks/" + uniqueId(), "/webhooks/" + percentEncoded(pick(ODD_TEXT))});
        String method = random.nextBoolean() ? "POST" : pick(METHODS);
        List<String[]> headers = new ArrayList<>();
        headers.add(h("Content-Type", "application/json"));
        if (random.nextBoolean()) {
            headers.add(h("Authorization", "Bearer " + (random.nextBoolean() ? keys.api() : keys.operator())));
        }
        byte[] body = method.equals("POST") ? "{\"a\":1}".getBytes(StandardCharsets.UTF_8) : null;
        if (random.nextInt(4) == 0) {
            // Over the webhook limit: the size filter answers before any route is known.
            body = new byte[webhookLimit + 1 + random.nextInt(1000)];
            java.util.Arrays.fill(body, (byte) ' ');
        }
        return new Request("unknown path " + method, "unknown path", null, method, path, headers, body, false,
                Expect.ANY);
    }

    // ---------------------------------------------------------------------------------------- malformed HTTP

    /**
     * Requests no HTTP client library would send, written to the socket as they are: broken request lines and
     * headers, contradicting lengths (request smuggling), bad chunking. Tomcat refuses most before the hub runs.
     * Two answers are 5xx by the HTTP standard (RFC 9112): 501 for a transfer coding the server does not know and 505
     * for an HTTP version it does not speak; they are expected as such.
     */
    private Request malformedHttp() {
        String path = pick(new String[] {"/webhooks/striga/kyc", "/webhooks/ondato", "/api/v1/cases"});
        String json = "Content-Type: application/json\r\n";
        List<Named<Object[]>> families = List.of(
                named("header too large", raw("GET", path, "X-Big: " + "a".repeat(20_000) + "\r\n", "", 400)),
                named("too many headers", raw("GET", path, "X-H: v\r\n".repeat(150), "", 400)),
                named("space in target", raw("GET", path + "/a b", "", "", 400)),
                named("raw UTF-8 in target", raw("GET", path + "/\u00e9", "", "", 400)),
                named("control character in target", raw("GET", path + "\u0001", "", "", 400)),
                named("header without colon", raw("POST", path, json + "NoColon\r\nContent-Length: 2\r\n", "{}", 400)),
                named("space in header name", raw("POST", path, json + "Bad Name: 1\r\nContent-Length: 2\r\n", "{}",
                        400)),
                named("NUL in header value", raw("POST", path, json + "signature: a\u0000b\r\nContent-Length: 2\r\n",
                        "{}", 400)),
                named("folded header", raw("POST", path, json + "signature: a\r\n b\r\nContent-Length: 2\r\n", "{}")),
                named("negative length", raw("POST", path, json + "Content-Length: -1\r\n", "{}", 400)),
                named("length not a number", raw("POST", path, json + "Content-Length: 2x\r\n", "{}", 400)),
                named("two different lengths", raw("POST", path, json + "Content-Length: 2\r\nContent-Length: 3\r\n",
                        "{}", 400)),
                named("length and chunked (smuggling)", raw("POST", path,
                        json + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                        "0\r\n\r\nPOST /webhooks/striga/kyc HTTP/1.1\r\n\r\n")),
                named("chunk size not hex", raw("POST", path, json + "Transfer-Encoding: chunked\r\n",
                        "zz\r\n{}\r\n0\r\n\r\n", 400)),
                named("chunk size overflows", raw("POST", path, json + "Transfer-Encoding: chunked\r\n",
                        "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400)),
                named("chunked over the limit", raw("POST", path, json + "Transfer-Encoding: chunked\r\n",
                        ("4000\r\n" + " ".repeat(0x4000) + "\r\n").repeat(webhookLimit / 0x4000 + 1) + "0\r\n\r\n",
                        path.startsWith("/webhooks") ? 413 : 401)),
                named("chunk extension and trailer", raw("POST", path, json + "Transfer-Encoding: chunked\r\n",
                        "2;ext=1\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n")),
                named("unknown transfer coding", raw("POST", path, json + "Transfer-Encoding: gzip\r\n", "{}", 501)),
                named("unsupported HTTP version", new Object[] {("GET " + path + " HTTP/9.9\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n"), 505}),
                named("not HTTP at all", new Object[] {"\u0016\u0003\u0001\u0002\u0000\u0001\u0000" + "x".repeat(50)
                        + "\r\n\r\n", 400}),
                named("no Host header", new Object[] {"GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n", 400}),
                named("absolute-form target", raw("POST", "http://elsewhere.example" + path, json
                        + "Content-Length: 2\r\n", "{}")));
        Named<Object[]> family = pick(families);
        byte[] wire = ((String) family.value()[0]).getBytes(StandardCharsets.ISO_8859_1);
        Expect expect = family.value().length > 1 ? Expect.status((Integer) family.value()[1]) : Expect.ANY;
        return new Request("malformed HTTP " + (path.startsWith("/webhooks") ? "to webhooks" : "to the API") + " RAW",
                family.name(), null, "RAW", path, List.of(), wire, false, expect, true);
    }

    /** A request as written on the wire (header block in ISO-8859-1, as HTTP has it) and its expected status. */
    private static Object[] raw(String method, String target, String headers, String body, Integer... status) {
        String wire = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + "\r\n" + body;
        return status.length == 0 ? new Object[] {wire} : new Object[] {wire, status[0]};
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private record Named<T>(String name, T value) {
    }

    private static <T> Named<T> named(String name, T value) {
        return new Named<>(name, value);
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String uniqueId() {
        return "fz-" + (++serial) + "-" + Long.toHexString(random.nextLong());
    }

    private static Request with(Request request, List<String[]> headers, byte[] body, boolean chunked) {
        return new Request(request.endpoint(), request.family(), request.provider(), request.method(), request.path(),
                headers, body, chunked, request.expect());
    }

    private static List<String[]> headers(String[]... headers) {
        return List.of(headers);
    }

    private static String[] h(String name, String value) {
        return new String[] {name, value};
    }

    static byte[] bytes(JsonNode node) {
        return text(node).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode parseObject(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node instanceof ObjectNode object ? object : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** A header value as a client that writes UTF-8 puts it on the wire (HTTP header bytes are ISO-8859-1). */
    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                .replaceAll("[\\x00-\\x08\\x0A-\\x1F\\x7F]", "?");
    }

    private static String percentEncoded(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append('%').append(String.format("%02X", b & 0xFF));
        }
        return encoded.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(String user, String password) {
        return "Basic " + base64(user + ":" + password);
    }

    static String hmacHex(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Function<byte[], String> preview(int max) {
        return body -> {
            if (body == null) {
                return "(no body)";
            }
            String text = new String(body, 0, Math.min(body.length, max), StandardCharsets.UTF_8);
            StringBuilder shown = new StringBuilder();
            text.codePoints().forEach(c -> shown.append(c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)
                    || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE
                    ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
            return shown + (body.length > max ? "... (" + body.length + " bytes)" : "");
        };
    }
}
