package com.kychub.provider.ondato;

import java.io.IOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Builds the hub's calls to Ondato for {@code routes/ondato-kyc.camel.yaml}: each sets the body and the variables
 * {@code baseUrl} (Ondato has two APIs: the IDV API and the KYC ID API, each at its configured base URL),
 * {@code httpMethod}, {@code path}, and for an action {@code answerType} (how the inbox files the answer) and
 * {@code subject}.
 */
@Component
public class OndatoClient {

    /** Ids go into request paths: they must be plain. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final KycProperties.Ondato settings;
    private final ObjectMapper json;

    public OndatoClient(KycProperties properties, ObjectMapper json) {
        this.settings = properties.providers().ondato();
        this.json = json;
    }

    /**
     * {@code POST /v1/identity-verifications} with the configured {@code setupId} (doc 003, step 1) and
     * {@code externalReferenceId}, the hub's customer id (Ondato's request example has it), so that the verification
     * names its customer at Ondato too.
     */
    public void createIdentityVerification(Exchange exchange) throws IOException {
        if (!StringUtils.hasText(settings.setupId())) {
            throw new IllegalStateException("kyc.providers.ondato.setup-id (KYC_ONDATO_SETUP_ID) is not set");
        }
        String customerId = exchange.getVariable("customerId", String.class);
        if (!StringUtils.hasText(customerId)) {
            throw new IllegalStateException("the Ondato start names no customer");
        }
        exchange.getIn().setBody(json.writeValueAsString(json.createObjectNode().put("setupId", settings.setupId())
                .put("externalReferenceId", customerId)));
        exchange.setVariable("baseUrl", settings.idvBaseUrl());
        exchange.setVariable("httpMethod", HttpMethods.POST);
        exchange.setVariable("path", "/v1/identity-verifications");
        exchange.setVariable("answerType", OndatoMapping.IDENTITY_VERIFICATION_CREATED);
        exchange.setVariable("subject", customerId);
    }

    /** {@code GET /v1/identity-verifications/{id}} (IDV API) for the verification in the variable {@code subject}. */
    public void identityVerification(Exchange exchange) {
        String verificationId = id(exchange.getVariable("subject", String.class));
        get(exchange, settings.idvBaseUrl(), "/v1/identity-verifications/" + verificationId);
    }

    /** {@code GET /v1/identifications/{id}} (KYC ID API) for the variable {@code kycIdentificationId}. */
    public void identification(Exchange exchange) {
        String identificationId = id(exchange.getVariable("kycIdentificationId", String.class));
        get(exchange, settings.kycBaseUrl(), "/v1/identifications/" + identificationId);
    }

    public void unknownAction(Exchange exchange) {
        throw new UnmappableMessageException("unknown Ondato action "
                + Quote.of(exchange.getVariable("action", String.class)));
    }

    private static void get(Exchange exchange, String baseUrl, String path) {
        exchange.getIn().setBody(null);
        exchange.setVariable("baseUrl", baseUrl);
        exchange.setVariable("httpMethod", HttpMethods.GET);
        exchange.setVariable("path", path);
    }

    static String id(String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new UnmappableMessageException("not an Ondato id");
        }
        return value;
    }
}
