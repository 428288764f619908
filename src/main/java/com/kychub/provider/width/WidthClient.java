package com.kychub.provider.width;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.canonical.Customers;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.ProviderRefusedException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The hub's calls to WIDTH, for {@code routes/width-kyc.camel.yaml}. One method per method of the doc builds its
 * request: the JSON body and the variables {@code path} (the method name in the path template), {@code answerType}
 * (how the inbox files the answer) and {@code subject} (the execution, or the customer before there is one). Actions
 * carry ids only; personal data is read from the store at the moment of the call. {@code personData}, {@code scores},
 * {@code images}, {@code doc}, {@code extraData} and {@code formData} are JSON-encoded strings, as the doc asks.
 * {@link #authorize} adds what every call carries besides its body; {@link #failOnRefusal} reads the answer's
 * {@code success} flag.
 */
@Component
public class WidthClient {

    private final Customers customers;
    private final WidthData data;
    private final ObjectMapper json;
    private final KycProperties.Width settings;
    /** An error code as WIDTH's answer may give one: a token, never free text (which may echo personal data). */
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    /** A message-like field is taken only when it is a code itself: a word, no digits first, no spaces. */
    private static final Pattern CODE_IN_MESSAGE = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,63}");

    private static final Logger log = LoggerFactory.getLogger(WidthClient.class);

    private final Clock clock = Clock.systemUTC();
    private volatile WidthSignature signature;

    public WidthClient(Customers customers, WidthData data, ObjectMapper json, KycProperties properties) {
        this.customers = customers;
        this.data = data;
        this.json = json;
        this.settings = properties.providers().width();
    }

    /** {@code workflow.applicant.register}: customerId, and the email when the hub holds one. */
    public void register(Exchange exchange) throws IOException {
        String customerId = exchange.getVariable("customerId", String.class);
        ObjectNode body = json.createObjectNode().put("customerId", customerId);
        customers.email(customerId).ifPresent(email -> body.put("email", email));
        request(exchange, "workflow.applicant.register", body, WidthMapping.REGISTERED, customerId);
    }

    /** {@code workflow.apply.submit}: the case id is the referenceId. */
    public void startWorkflow(Exchange exchange) throws IOException {
        String customerId = exchange.getVariable("customerId", String.class);
        ObjectNode body = json.createObjectNode().put("eventType", "KYC_EVENT").put("source", "API");
        body.putObject("data").put("customerId", customerId).put("referenceId", referenceId(exchange));
        request(exchange, "workflow.apply.submit", body, WidthMapping.WORKFLOW_STARTED, customerId);
    }

    /** {@code workflow.execution.status} for the execution in the variable {@code subject}. */
    public void executionStatus(Exchange exchange) throws IOException {
        String executionId = exchange.getVariable("subject", String.class);
        request(exchange, "workflow.execution.status", json.createObjectNode().put("executionId", executionId),
                WidthMapping.EXECUTION_STATUS, executionId);
    }

    /** {@code workflow.kyc.ocr.data} (body assumed: the OCR submission's ids) for the polled execution. */
    public void ocrData(Exchange exchange) throws IOException {
        ObjectNode body = json.createObjectNode()
                .put("executionId", exchange.getVariable("subject", String.class))
                .put("callbackKey", exchange.getVariable("callbackKey", String.class))
                .put("referenceId", exchange.getVariable("referenceId", String.class));
        request(exchange, "workflow.kyc.ocr.data", body, WidthMapping.OCR_DATA, exchange.getVariable("subject", String.class));
    }

    /** {@code workflow.kyc.ocr} with the identity document held. */
    public void ocr(Exchange exchange) throws IOException {
        if (replaced(exchange, "identity-document")) {
            return;
        }
        JsonNode document = held(exchange, "identity-document");
        ObjectNode body = json.createObjectNode().put("provider", "WIDTH");
        copy(document, body, "frontImage", "backImage", "documentType", "region");
        node(exchange, "workflow.kyc.ocr", body, WidthMapping.OCR_SUBMITTED);
    }

    /** {@code workflow.kyc.particular.data}: personData is the particulars held, JSON-encoded. */
    public void particular(Exchange exchange) throws IOException {
        if (replaced(exchange, "particulars")) {
            return;
        }
        ObjectNode body = json.createObjectNode()
                .put("personData", json.writeValueAsString(held(exchange, "particulars")));
        node(exchange, "workflow.kyc.particular.data", body, WidthMapping.SUBMITTED);
    }

    /** {@code workflow.kyc.liveness.data}. */
    public void liveness(Exchange exchange) throws IOException {
        if (replaced(exchange, "liveness")) {
            return;
        }
        JsonNode liveness = held(exchange, "liveness");
        ObjectNode body = json.createObjectNode()
                .put("provider", liveness.path("provider").asText("SELF"))
                .put("status", liveness.path("status").asText())
                .put("scores", json.writeValueAsString(liveness.path("scores")))
                .put("images", json.writeValueAsString(liveness.path("images")));
        node(exchange, "workflow.kyc.liveness.data", body, WidthMapping.SUBMITTED);
    }

    /**
     * {@code workflow.kyc.otp.send} to the customer's email or phone; the same method sends a new OTP when the customer
     * asks for one (doc 000 shows no resend method), unless they asked again since.
     */
    public void otpSend(Exchange exchange) throws IOException {
        if (replaced(exchange, WidthData.OTP_RESEND)) {
            return;
        }
        String type = payload(exchange).path("type").asText();
        ObjectNode body = json.createObjectNode().put("type", type).put("identity", identity(exchange, type));
        node(exchange, "workflow.kyc.otp.send", body, WidthMapping.OTP_SENT);
    }

    /** {@code workflow.kyc.otp.verify} with the code the customer gave and the send's requestId. */
    public void otpVerify(Exchange exchange) throws IOException {
        if (replaced(exchange, "otp")) {
            return;
        }
        JsonNode payload = payload(exchange);
        String type = payload.path("type").asText();
        String code = data.get(customerId(exchange), "otp").map(otp -> otp.path("code").asText())
                .orElseThrow(() -> new UnmappableMessageException("no OTP code held any more"));
        ObjectNode body = json.createObjectNode().put("type", type).put("identity", identity(exchange, type))
                .put("code", code).put("requestId", payload.path("requestId").asText());
        node(exchange, "workflow.kyc.otp.verify", body, WidthMapping.OTP_VERIFIED);
    }

    /** {@code workflow.kyc.required.doc} for the held document of the action's docType. */
    public void requiredDoc(Exchange exchange) throws IOException {
        if (replaced(exchange, "documents")) {
            return;
        }
        String docType = payload(exchange).path("docType").asText();
        JsonNode document = heldItem(exchange, "documents", "docType", docType);
        ObjectNode body = json.createObjectNode()
                .put("doc", json.writeValueAsString(document.path("doc")))
                .put("isRequired", document.path("isRequired").asBoolean(true))
                .put("docType", docType)
                .put("extraData", json.writeValueAsString(document.has("extraData")
                        ? document.get("extraData") : json.createObjectNode()));
        node(exchange, "workflow.kyc.required.doc", body, WidthMapping.SUBMITTED);
    }

    /** {@code workflow.kyc.required.doc.submit}, once every document of the node is uploaded. */
    public void requiredDocSubmit(Exchange exchange) throws IOException {
        if (replaced(exchange, "documents")) {
            return;
        }
        node(exchange, "workflow.kyc.required.doc.submit", json.createObjectNode(), WidthMapping.SUBMITTED);
    }

    /** {@code workflow.kyc.required.form} for the held form of the action's formId. */
    public void form(Exchange exchange) throws IOException {
        if (replaced(exchange, "forms")) {
            return;
        }
        String formId = payload(exchange).path("formId").asText();
        JsonNode form = heldItem(exchange, "forms", "formId", formId);
        ObjectNode body = json.createObjectNode().put("formId", formId)
                .put("formData", json.writeValueAsString(form.path("formData")));
        node(exchange, "workflow.kyc.required.form", body, WidthMapping.SUBMITTED);
    }

    /**
     * What every call to WIDTH carries besides its body, for {@code width-call}: the API key as the {@code apiKey}
     * query parameter (set as the HTTP query, so it is never part of an endpoint URI), {@code x-domain} and the
     * signature. The signature scheme is picked once, at the first call, so a hub without WIDTH settings still starts.
     */
    public void authorize(Exchange exchange) {
        if (settings.apiKey() == null || settings.apiKey().isEmpty()) {
            throw new IllegalStateException("kyc.providers.width.api-key (KYC_WIDTH_API_KEY) is not set");
        }
        exchange.getIn().setHeader(Exchange.HTTP_QUERY,
                "apiKey=" + URLEncoder.encode(settings.apiKey(), StandardCharsets.UTF_8));
        if (settings.domainId() != null && !settings.domainId().isEmpty()) {
            exchange.getIn().setHeader("x-domain", settings.domainId());
        }
        signature().headers(exchange.getIn().getBody(String.class), clock.instant())
                .forEach(exchange.getIn()::setHeader);
    }

    /**
     * After a call ({@code width-act}, {@code width-poll-execution}): WIDTH's RPC answers carry a {@code success}
     * flag, and one that says {@code false} is a refusal even under HTTP 200. It is thrown as permanent
     * ({@link ProviderRefusedException}): the action is FAILED with WIDTH's error code as its last error, not DONE.
     * An answer without the flag (or not JSON) is left to whoever reads it.
     */
    public void failOnRefusal(Exchange exchange) {
        refusal(exchange.getVariable("widthMethod", String.class), exchange.getIn().getBody(String.class));
    }

    /** {@link #failOnRefusal} for a polled status in the inbox: a refusal is kept FAILED there, with its code. */
    public void failOnRefusedStatus(@Body String answer) {
        refusal("workflow.execution.status", answer);
    }

    private void refusal(String method, String answer) {
        if (answer == null || answer.isBlank()) {
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(answer);
        } catch (IOException e) {
            return;
        }
        JsonNode success = body.path("success");
        boolean refused = success.isBoolean() ? !success.booleanValue()
                : success.isTextual() && "false".equalsIgnoreCase(success.asText().trim());
        if (refused) {
            Optional<String> code = errorCode(body);
            throw new ProviderRefusedException("WIDTH refused " + (method == null ? "the call" : method)
                    + " (success: false, " + code.map(given -> "code " + given).orElse("no error code") + ")",
                    code.orElse(null));
        }
    }

    /**
     * WIDTH's error code in a refusal (the doc shows no error answer: {@code code}, {@code errorCode},
     * {@code error_code} or {@code error.code} are read, then a {@code message}, {@code msg}, {@code errorMessage} or
     * {@code error} that is a code itself). Free text is never taken: it may echo what was sent.
     */
    static Optional<String> errorCode(JsonNode answer) {
        for (JsonNode code : List.of(answer.path("code"), answer.path("errorCode"), answer.path("error_code"),
                answer.path("error").path("code"))) {
            if ((code.isTextual() || code.isIntegralNumber()) && ERROR_CODE.matcher(code.asText().trim()).matches()) {
                return Optional.of(code.asText().trim());
            }
        }
        for (JsonNode message : List.of(answer.path("message"), answer.path("msg"), answer.path("errorMessage"),
                answer.path("error"), answer.path("error").path("message"))) {
            if (message.isTextual() && CODE_IN_MESSAGE.matcher(message.asText().trim()).matches()) {
                return Optional.of(message.asText().trim());
            }
        }
        return Optional.empty();
    }

    private WidthSignature signature() {
        if (signature == null) {
            signature = switch (settings.signatureScheme()) {
                case "hmac-sha256" -> new HmacSha256WidthSignature(settings.apiSecret());
                case "none" -> WidthSignature.NONE;
                default -> throw new IllegalStateException("unknown kyc.providers.width.signature-scheme '"
                        + settings.signatureScheme() + "' (hmac-sha256 or none)");
            };
        }
        return signature;
    }

    /**
     * Whether the data the submission was planned for (the version in its payload) has been replaced since: then
     * nothing is sent ({@code width-act} skips the call on {@code replaced}), the action ends DONE without an answer,
     * and the replacement's own submission, planned at the next status, sends the new data. A submission without a
     * version (the first OTP send, one planned before versions) is sent as it is.
     */
    private boolean replaced(Exchange exchange, String kind) throws IOException {
        JsonNode planned = payload(exchange).path("version");
        if (!planned.canConvertToLong()
                || data.version(customerId(exchange), kind).filter(held -> held == planned.asLong()).isPresent()) {
            return false;
        }
        log.info("Action {} {} not sent: its {} was replaced since it was planned", exchange.getVariable("actionId"),
                exchange.getVariable("action"), kind);
        exchange.getIn().setBody(null);
        exchange.setVariable("replaced", true);
        return true;
    }

    public void unknownAction(Exchange exchange) {
        throw new UnmappableMessageException("unknown WIDTH action "
                + Quote.of(exchange.getVariable("action", String.class)));
    }

    /** Adds the ids every node submission carries: executionId, callbackKey, referenceId. */
    private void node(Exchange exchange, String method, ObjectNode body, String answerType) throws IOException {
        JsonNode payload = payload(exchange);
        String executionId = payload.path("executionId").asText();
        body.put("executionId", executionId);
        body.put("callbackKey", payload.path("callbackKey").asText());
        body.put("referenceId", referenceId(exchange));
        request(exchange, method, body, answerType, executionId);
    }

    private void request(Exchange exchange, String method, JsonNode body, String answerType, String subject)
            throws IOException {
        exchange.getIn().setBody(json.writeValueAsString(body));
        // Every WIDTH method is an RPC-style POST.
        exchange.setVariable("httpMethod", HttpMethods.POST);
        exchange.setVariable("path", settings.pathTemplate().replace("{method}", method));
        exchange.setVariable("widthMethod", method);
        exchange.setVariable("answerType", answerType);
        exchange.setVariable("subject", subject);
    }

    private String identity(Exchange exchange, String type) {
        String customerId = customerId(exchange);
        if ("email".equals(type)) {
            return customers.email(customerId)
                    .orElseThrow(() -> new UnmappableMessageException("no email held any more"));
        }
        return WidthNodes.phone(data, customers, customerId)
                .orElseThrow(() -> new UnmappableMessageException("no phone held any more"));
    }

    private JsonNode held(Exchange exchange, String kind) {
        return data.get(customerId(exchange), kind)
                .orElseThrow(() -> new UnmappableMessageException("no " + kind + " held any more"));
    }

    /** The last item of a held list (documents, forms) whose {@code field} is {@code value}. */
    private JsonNode heldItem(Exchange exchange, String kind, String field, String value) {
        JsonNode found = null;
        for (JsonNode item : held(exchange, kind)) {
            if (value.equals(item.path(field).asText())) {
                found = item;
            }
        }
        if (found == null) {
            throw new UnmappableMessageException("no " + kind + " item " + field + "=" + Quote.of(value) + " held any more");
        }
        return found;
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.hasNonNull(field)) {
                to.set(field, from.get(field));
            }
        }
    }

    private static String customerId(Exchange exchange) {
        return exchange.getVariable("customerId", String.class);
    }

    /** The onboarding's referenceId, kept on the case and carried by every action about it. */
    private String referenceId(Exchange exchange) throws IOException {
        String referenceId = payload(exchange).path("referenceId").asText(null);
        if (referenceId == null) {
            throw new UnmappableMessageException("a WIDTH action without its referenceId");
        }
        return referenceId;
    }

    private JsonNode payload(Exchange exchange) throws IOException {
        String body = exchange.getIn().getBody(String.class);
        return body == null ? json.createObjectNode() : json.readTree(body);
    }
}
