package com.kychub.provider.argos;

import java.util.regex.Pattern;

import com.kychub.KycProperties;
import com.kychub.canonical.UnmappableMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;

/**
 * The hub's calls to ARGOS Identity's API, for {@code routes/argos-kyc.camel.yaml}: each sets the body and the
 * variables {@code httpMethod} and {@code path} (below {@code base-url}). ARGOS authenticates a request by the API
 * key in the {@code x-api-key} header.
 */
@Component
public class ArgosClient {

    /** Ids go into request URLs: they must be plain. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final KycProperties.Argos settings;

    public ArgosClient(KycProperties properties) {
        this.settings = properties.providers().argos();
    }

    /** Puts the API key on the outgoing request (headers were cleared before). */
    public void authorize(Exchange exchange) {
        if (!settings.statusApiConfigured()) {
            throw new IllegalStateException("ARGOS's API is not configured (KYC_ARGOS_BASE_URL, KYC_ARGOS_API_KEY)");
        }
        exchange.getIn().setHeader("x-api-key", settings.apiKey());
    }

    /** {@code GET /submission?submission_id=} for the submission in the variable {@code subject}. */
    public void submission(Exchange exchange) {
        String submissionId = id(exchange.getVariable("subject", String.class));
        exchange.getIn().setBody(null);
        exchange.setVariable("httpMethod", HttpMethods.GET);
        exchange.setVariable("path", "/submission");
        exchange.setVariable("query", "submission_id=" + submissionId);
    }

    static String id(String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new UnmappableMessageException("not an ARGOS submission id");
        }
        return value;
    }
}
