package com.kychub.provider.width;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import com.kychub.KycProperties;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * What every call to WIDTH carries besides its body, for {@code width-call}: the API key as the {@code apiKey} query
 * parameter (set as the HTTP query, so it is never part of an endpoint URI), {@code x-domain} and the signature.
 * The signature scheme is picked once, at the first call, so a hub without WIDTH settings still starts.
 */
@Component("widthSigning")
public class WidthSigning {

    private final KycProperties.Width settings;
    private final Clock clock;
    private volatile WidthSignature signature;

    public WidthSigning(KycProperties properties) {
        this.settings = properties.providers().width();
        this.clock = Clock.systemUTC();
    }

    public void sign(Exchange exchange) {
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
}
