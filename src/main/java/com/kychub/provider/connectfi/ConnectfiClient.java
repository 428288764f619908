package com.kychub.provider.connectfi;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.canonical.Customers;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The hub's calls to Connect Financial: one method per action builds its request, for
 * {@code routes/connectfi-kyc.camel.yaml}: each sets the body and the variables {@code httpMethod}, {@code path},
 * {@code answerType} (how the inbox files the answer) and {@code subject}. Personal data is read from the store at
 * the moment of the call; actions themselves carry only ids and field names.
 */
@Component
public class ConnectfiClient {

    /** Ids go into request paths: they must be plain. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Logger log = LoggerFactory.getLogger(ConnectfiClient.class);

    private final Customers customers;
    private final ObjectMapper json;
    private final KycProperties.Connectfi settings;

    public ConnectfiClient(Customers customers, ObjectMapper json, KycProperties properties) {
        this.customers = customers;
        this.json = json;
        this.settings = properties.providers().connectfi();
    }

    /** Every call to Connect Financial carries the hub's API key as a bearer token. */
    public void authorize(Exchange exchange) {
        exchange.getIn().setHeader("Authorization", "Bearer " + settings.apiKey());
    }

    /** {@code POST /v1/customers}, with the KYC data when the hub holds some. */
    public void createCustomer(Exchange exchange) throws IOException {
        String customerId = exchange.getVariable("customerId", String.class);
        ObjectNode body = json.createObjectNode();
        body.put("externalId", customerId);
        customers.email(customerId).ifPresent(email -> body.put("email", email));
        ObjectNode kyc = customers.kyc(customerId);
        if (!kyc.isEmpty()) {
            body.set("kyc", kyc);
        }
        request(exchange, HttpMethods.POST, "/v1/customers", body, ConnectfiMapping.CUSTOMER_CREATED, customerId);
    }

    /** {@code POST /v1/compliance/kyc}. */
    public void startKyc(Exchange exchange) throws IOException {
        String connectfiCustomerId = id(payload(exchange), "connectfiCustomerId");
        ObjectNode body = json.createObjectNode().put("customerId", connectfiCustomerId);
        request(exchange, HttpMethods.POST, "/v1/compliance/kyc", body, ConnectfiMapping.KYC_STARTED,
                connectfiCustomerId);
    }

    /**
     * {@code POST /v1/compliance/kyc/:onboardingId/rerun}. The answer (a new onboarding and its SDK link) is filed as
     * about the Connect Financial customer; a rerun planned before the payload named them: the customer's link.
     */
    public void rerunKyc(Exchange exchange) throws IOException {
        JsonNode payload = payload(exchange);
        String onboardingId = id(payload, "onboardingId");
        String connectfiCustomerId = payload.hasNonNull("connectfiCustomerId") ? id(payload, "connectfiCustomerId")
                : customers.linkByCustomer(ConnectfiMapping.PROVIDER, exchange.getVariable("customerId", String.class))
                        .map(Customers.ProviderLink::providerCustomerId).orElse(null);
        request(exchange, HttpMethods.POST, "/v1/compliance/kyc/" + onboardingId + "/rerun", json.createObjectNode(),
                ConnectfiMapping.KYC_RERUN, connectfiCustomerId);
    }

    /**
     * {@code PATCH /v1/customers/:id} with exactly the fields the failed checks ask for, as the profile held now: not
     * sent when the profile changed since the call was planned (its version), since the new version's call sends it.
     */
    public void updateProfile(Exchange exchange) throws IOException {
        JsonNode payload = payload(exchange);
        String customerId = exchange.getVariable("customerId", String.class);
        long version = customers.updatedAt(customerId).map(Instant::toEpochMilli).orElse(0L);
        if (payload.has("version") && payload.path("version").asLong() != version) {
            replaced(exchange, "profile");
            return;
        }
        String connectfiCustomerId = id(payload, "connectfiCustomerId");
        ObjectNode held = customers.kyc(customerId);
        ObjectNode kyc = json.createObjectNode();
        for (JsonNode field : payload.path("fields")) {
            if (field.asText().equals("kyc")) {
                kyc.setAll(held);
            } else if (held.hasNonNull(field.asText())) {
                kyc.set(field.asText(), held.get(field.asText()));
            }
        }
        request(exchange, HttpMethods.PATCH, "/v1/customers/" + connectfiCustomerId,
                json.createObjectNode().set("kyc", kyc), ConnectfiMapping.PROFILE_UPDATED, connectfiCustomerId);
    }

    /**
     * {@code POST /compliance/upload-doc}: the action's document, base64 in JSON. A document the fintech replaced by a
     * newer one of its type since the call was planned is not sent: the newer one's call sends that, and Connect
     * Financial never ends with the older one, whatever the order the calls are made in.
     */
    public void uploadDocument(Exchange exchange) throws IOException {
        JsonNode payload = payload(exchange);
        String connectfiCustomerId = id(payload, "connectfiCustomerId");
        String type = payload.path("type").asText();
        Customers.Document document = customers.latestDocument(exchange.getVariable("customerId", String.class), type)
                .orElseThrow(() -> new UnmappableMessageException("no " + type + " document held any more"));
        if (payload.has("documentId") && payload.path("documentId").asLong() != document.id()) {
            replaced(exchange, "document");
            return;
        }
        ObjectNode body = json.createObjectNode()
                .put("customerId", connectfiCustomerId)
                .put("type", type)
                .put("fileName", document.fileName())
                .put("contentType", document.contentType())
                .put("content", Base64.getEncoder().encodeToString(document.content()));
        request(exchange, HttpMethods.POST, "/compliance/upload-doc", body, ConnectfiMapping.DOCUMENT_UPLOADED,
                connectfiCustomerId);
    }

    /** {@code GET /v1/compliance/status/:customerId} for the customer in the variable {@code subject}. */
    public void complianceStatus(Exchange exchange) {
        String connectfiCustomerId = exchange.getVariable("subject", String.class);
        if (connectfiCustomerId == null || !ID.matcher(connectfiCustomerId).matches()) {
            throw new UnmappableMessageException("not a Connect Financial customer id");
        }
        exchange.getIn().setBody(null);
        exchange.setVariable("httpMethod", HttpMethods.GET);
        exchange.setVariable("path", "/v1/compliance/status/" + connectfiCustomerId);
    }

    /**
     * The action's datum was replaced since it was planned: nothing is sent (the act route skips the call on
     * {@code replaced}), the action ends DONE with no answer, and the replacement's own action sends the new datum.
     */
    private static void replaced(Exchange exchange, String what) {
        log.info("Action {} {} not sent: its {} was replaced since it was planned",
                exchange.getVariable("actionId"), exchange.getVariable("action"), what);
        exchange.getIn().setBody(null);
        exchange.setVariable("replaced", true);
    }

    public void unknownAction(Exchange exchange) {
        throw new UnmappableMessageException("unknown Connect Financial action "
                + Quote.of(exchange.getVariable("action", String.class)));
    }

    private void request(Exchange exchange, HttpMethods method, String path, JsonNode body, String answerType,
                         String subject) throws IOException {
        exchange.getIn().setBody(json.writeValueAsString(body));
        exchange.setVariable("httpMethod", method);
        exchange.setVariable("path", path);
        exchange.setVariable("answerType", answerType);
        if (subject != null) {
            exchange.setVariable("subject", subject);
        }
    }

    private JsonNode payload(Exchange exchange) throws IOException {
        return json.readTree(exchange.getIn().getBody(String.class));
    }

    private static String id(JsonNode payload, String field) {
        String value = payload.path(field).asText();
        if (!ID.matcher(value).matches()) {
            throw new UnmappableMessageException(Quote.of(field) + " is not a Connect Financial id");
        }
        return value;
    }

    static List<String> documentTypes() {
        return List.of("SOURCE_OF_FUNDS", "W9", "W8BEN", "BIOMETRIC_REPORT", "PROOF_OF_ADDRESS");
    }
}
