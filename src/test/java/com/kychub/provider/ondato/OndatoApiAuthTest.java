package com.kychub.provider.ondato;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.kychub.KycProperties;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credentials of the hub's calls to Ondato: an API key header, or OAuth2 tokens from a stubbed token URL. */
class OndatoApiAuthTest {

    private final WireMockServer tokenServer = new WireMockServer(
            WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void start() {
        tokenServer.start();
    }

    @AfterEach
    void stop() {
        tokenServer.stop();
    }

    @Test
    void theTokenIsCachedUntilShortlyBeforeItExpires() {
        stubToken("token-1", 3600);
        OndatoTokens tokens = tokens("kyc-scope");
        assertThat(tokens.token()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(58));
        assertThat(tokens.token()).isEqualTo("token-1");
        tokenServer.verify(1, postRequestedFor(urlEqualTo("/connect/token"))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_id=hub"))
                .withRequestBody(containing("client_secret=s%26cret"))
                .withRequestBody(containing("scope=kyc-scope")));

        // Within the last minute of its life the token is replaced.
        stubToken("token-2", 3600);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(tokens.token()).isEqualTo("token-2");
        tokenServer.verify(2, postRequestedFor(urlEqualTo("/connect/token")));
    }

    @Test
    void aShortLivedTokenIsReplacedAtHalfItsLifeAndOneWithoutLifetimeIsNotCached() {
        stubToken("short", 60);
        OndatoTokens tokens = tokens(null);
        assertThat(tokens.token()).isEqualTo("short");
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.token()).isEqualTo("short");
        clock.advance(Duration.ofSeconds(2));
        tokens.token();
        tokenServer.verify(2, postRequestedFor(urlEqualTo("/connect/token")));
        tokenServer.verify(0, postRequestedFor(urlEqualTo("/connect/token")).withRequestBody(containing("scope")));

        tokenServer.stubFor(post(urlEqualTo("/connect/token")).willReturn(okJson("{\"access_token\":\"once\"}")));
        clock.advance(Duration.ofSeconds(31));
        assertThat(tokens.token()).isEqualTo("once");
        assertThat(tokens.token()).isEqualTo("once");
        tokenServer.verify(4, postRequestedFor(urlEqualTo("/connect/token")));
    }

    @Test
    void aRefusedTokenRequestFailsWithoutQuotingTheAnswer() {
        tokenServer.stubFor(post(urlEqualTo("/connect/token"))
                .willReturn(WireMock.aResponse().withStatus(401).withBody("{\"error\":\"invalid_client s&cret\"}")));
        assertThatThrownBy(() -> tokens(null).token()).hasMessage("the Ondato token endpoint answered 401");
    }

    @Test
    void theApiAuthPutsTheCredentialInTheRightHeader() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        new OndatoApiAuth(new KycProperties.OndatoApiAuth("api-key", "X-Api-Key", "k-1", null, null, null, null), clock)
                .authorize(exchange);
        assertThat(exchange.getIn().getHeader("X-Api-Key")).isEqualTo("k-1");

        stubToken("bearer-1", 3600);
        new OndatoApiAuth(new KycProperties.OndatoApiAuth("oauth2", "X-Api-Key", null,
                tokenServer.baseUrl() + "/connect/token", "hub", "secret", null), clock).authorize(exchange);
        assertThat(exchange.getIn().getHeader("Authorization")).isEqualTo("Bearer bearer-1");

        assertThatThrownBy(() -> new OndatoApiAuth(new KycProperties.OndatoApiAuth("api-key", "X-Api-Key", null,
                null, null, null, null), clock).authorize(exchange)).hasMessageContaining("KYC_ONDATO_API_KEY");
        assertThatThrownBy(() -> new OndatoApiAuth(new KycProperties.OndatoApiAuth("basic", "X-Api-Key", null,
                null, null, null, null), clock)).hasMessageContaining("api-key or oauth2");
    }

    private OndatoTokens tokens(String scope) {
        return new OndatoTokens(HttpClient.newHttpClient(), clock, tokenServer.baseUrl() + "/connect/token", "hub",
                "s&cret", scope);
    }

    private void stubToken(String token, int expiresIn) {
        tokenServer.stubFor(post(urlEqualTo("/connect/token")).willReturn(okJson(
                "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}")));
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
