package com.kychub.provider.ondato;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import com.kychub.KycProperties;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Authenticates the hub's calls to Ondato in {@code ondato-call}: {@code api-key} puts {@code KYC_ONDATO_API_KEY} in
 * the configured header; {@code oauth2} puts a client-credentials token ({@link OndatoTokens}) in
 * {@code Authorization: Bearer}.
 */
@Component
public class OndatoApiAuth {

    private final KycProperties.OndatoApiAuth settings;
    private final boolean oauth2;
    private final OndatoTokens tokens;

    @Autowired
    public OndatoApiAuth(KycProperties properties) {
        this(properties.providers().ondato().apiAuth(), Clock.systemUTC());
    }

    OndatoApiAuth(KycProperties.OndatoApiAuth settings, Clock clock) {
        this.settings = settings;
        this.oauth2 = switch (settings.scheme().trim().toLowerCase(Locale.ROOT)) {
            case "api-key" -> false;
            case "oauth2" -> true;
            default -> throw new IllegalStateException(
                    "kyc.providers.ondato.api-auth.scheme must be api-key or oauth2, not '" + settings.scheme() + "'");
        };
        this.tokens = oauth2 && StringUtils.hasText(settings.tokenUrl())
                ? new OndatoTokens(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), clock,
                        settings.tokenUrl(), settings.clientId(), settings.clientSecret(), settings.scope())
                : null;
    }

    /** Sets the credential header on the outgoing request (headers were cleared before). */
    public void authorize(Exchange exchange) {
        if (oauth2) {
            if (tokens == null || !StringUtils.hasText(settings.clientId()) || !StringUtils.hasText(settings.clientSecret())) {
                throw new IllegalStateException("Ondato OAuth2 is not configured (token-url, KYC_ONDATO_CLIENT_ID, "
                        + "KYC_ONDATO_CLIENT_SECRET)");
            }
            exchange.getIn().setHeader("Authorization", "Bearer " + tokens.token());
        } else {
            if (!StringUtils.hasText(settings.apiKey())) {
                throw new IllegalStateException("KYC_ONDATO_API_KEY is not set");
            }
            exchange.getIn().setHeader(settings.apiKeyHeader(), settings.apiKey());
        }
    }
}
