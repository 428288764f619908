package com.kychub.outbound;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.stereotype.Component;

/**
 * The HTTP client of event delivery ({@code httpClientConfigurer} of the {@code event-webhook} route's endpoint), apart
 * from the providers' {@code camel.component.http} settings: each POST is one attempt the dispatcher counts, so the
 * client never repeats one by itself (Apache HttpClient would repeat a 503), follows no redirect, and keeps no cookie a
 * receiver sets.
 */
@Component("webhookHttpClient")
public class WebhookHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder client) {
        client.disableAutomaticRetries();
        client.disableRedirectHandling();
        client.disableCookieManagement();
    }
}
