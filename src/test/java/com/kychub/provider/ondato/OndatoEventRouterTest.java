package com.kychub.provider.ondato;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.support.HubIntegrationTest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The event router in {@code ondato-process} ({@code routes/ondato-kyc.camel.yaml}), one test per webhook type of
 * doc 003, the newer {@code IdentityVerification.*} names, and a type Ondato does not send. Each webhook is sent
 * straight to {@code direct:ondato-process} as the inbox worker hands it over; its payload carries both an
 * {@code id} and an {@code identityVerificationId}, different, so the identity verification the hub pulls from the
 * IDV API (WireMock) shows which branch read it: {@code KycIdentification.*} name their verification in
 * {@code identityVerificationId}, {@code IdentityVerification.*} / {@code Idv.*} are the verification itself
 * ({@code id}). A {@code KycIdentification.*} event naming only its identification ({@code payload.id}, the resource
 * Ondato's docs say the payload is) has that identification pulled from the KYC ID API instead, and the verification
 * it names is what the hub files it under. The pull is synchronous: it is known when the call returns.
 */
class OndatoEventRouterTest extends HubIntegrationTest {

    /** doc 003's example identity verification. */
    private static final String VERIFICATION = "02c99769-51a5-4174-aa5b-3fa0c2e6bfef";
    /** Another resource's id: a KYC identification's, when the event is about one. */
    private static final String OTHER = "7d1e5b0a-93c4-4f2b-8a61-2e0f9c4d7b35";
    private static final String IDV_CALLS = "/ondato-idv/v1/identity-verifications/.*";
    private static final String KYC_CALLS = "/ondato-kyc/v1/identifications/.*";

    @Autowired
    private ProducerTemplate producer;

    @BeforeEach
    void theIdvApiAnswersAnyVerification() {
        PROVIDERS.stubFor(WireMock.get(urlPathMatching(IDV_CALLS))
                .willReturn(okJson("{\"id\":\"" + VERIFICATION + "\",\"status\":\"InProgress\"}")));
    }

    @Test
    void kycIdentificationCreatedPullsTheVerificationItNames() {
        assertThat(pulledFor("KycIdentification.Created", OTHER, VERIFICATION)).containsExactly(VERIFICATION);
    }

    @Test
    void kycIdentificationProcessedPullsTheVerificationItNames() {
        assertThat(pulledFor("KycIdentification.Processed", OTHER, VERIFICATION)).containsExactly(VERIFICATION);
    }

    @Test
    void kycIdentificationApprovedPullsTheVerificationItNames() {
        assertThat(pulledFor("KycIdentification.Approved", OTHER, VERIFICATION)).containsExactly(VERIFICATION);
    }

    @Test
    void kycIdentificationUpdatedPullsTheVerificationItNames() {
        assertThat(pulledFor("KycIdentification.Updated", OTHER, VERIFICATION)).containsExactly(VERIFICATION);
    }

    @Test
    void kycIdentificationRejectedPullsTheVerificationItNames() {
        assertThat(pulledFor("KycIdentification.Rejected", OTHER, VERIFICATION)).containsExactly(VERIFICATION);
    }

    @Test
    void idvConsentedPullsTheVerificationItIs() {
        assertThat(pulledFor("Idv.Consented", VERIFICATION, OTHER)).containsExactly(VERIFICATION);
    }

    @Test
    void idvStatusChangedPullsTheVerificationItIs() {
        assertThat(pulledFor("Idv.StatusChanged", VERIFICATION, OTHER)).containsExactly(VERIFICATION);
    }

    @Test
    void identityVerificationConsentedPullsTheVerificationItIs() {
        assertThat(pulledFor("IdentityVerification.Consented", VERIFICATION, OTHER)).containsExactly(VERIFICATION);
    }

    @Test
    void identityVerificationStatusChangedPullsTheVerificationItIs() {
        assertThat(pulledFor("IdentityVerification.StatusChanged", VERIFICATION, OTHER))
                .containsExactly(VERIFICATION);
    }

    @Test
    void aKycIdentificationEventNamingOnlyItselfPullsTheIdentificationAndFilesItUnderItsVerification() {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/ondato-kyc/v1/identifications/" + OTHER))
                .willReturn(okJson("{\"id\":\"" + OTHER + "\",\"identityVerificationId\":\"" + VERIFICATION
                        + "\",\"status\":\"Awaiting\",\"statusReason\":\"Processing\"}")));

        Exchange exchange = send("KycIdentification.Processed", "{\"id\":\"" + OTHER + "\"}");

        assertThat(exchange.getException()).isNull();
        PROVIDERS.verify(1, getRequestedFor(urlEqualTo("/ondato-kyc/v1/identifications/" + OTHER)));
        assertThat(PROVIDERS.findAll(getRequestedFor(urlPathMatching(IDV_CALLS)))).isEmpty();
        assertThat(jdbc.queryForList("select message_type || ' ' || subject from inbound_message "
                + "where provider = 'ondato'", String.class)).containsExactly("identification " + VERIFICATION);
    }

    @Test
    void anIdentificationThatNamesNoVerificationIsUnmappableAndNotStored() {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/ondato-kyc/v1/identifications/" + OTHER))
                .willReturn(okJson("{\"id\":\"" + OTHER + "\",\"status\":\"Approved\"}")));

        Exchange exchange = send("KycIdentification.Approved", "{\"id\":\"" + OTHER + "\"}");

        assertThat(exchange.getException()).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("identityVerificationId");
        assertThat(jdbc.queryForObject("select count(*) from inbound_message", Integer.class)).isZero();
    }

    @Test
    void aKycIdentificationEventNamingNeitherIsUnmappableAndPullsNothing() {
        Exchange exchange = send("KycIdentification.Approved", "{\"status\":\"Approved\"}");

        assertThat(exchange.getException()).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("payload.id");
        assertThat(PROVIDERS.findAll(getRequestedFor(urlPathMatching("/ondato-.*")))).isEmpty();
    }

    @Test
    void anUnknownEventTypeIsUnmappableAndPullsNothing() {
        Exchange exchange = send("KycIdentification.Deleted", OTHER, VERIFICATION);

        assertThat(exchange.getException()).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("KycIdentification.Deleted");
        assertThat(PROVIDERS.findAll(getRequestedFor(urlPathMatching(IDV_CALLS)))).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message", Integer.class)).isZero();
    }

    /**
     * Sends the webhook and answers the verification ids the hub asked the IDV API for; the one pulled is in the
     * inbox, to be processed next.
     */
    private List<String> pulledFor(String type, String payloadId, String payloadVerificationId) {
        Exchange exchange = send(type, payloadId, payloadVerificationId);
        if (exchange.getException() != null) {
            throw new AssertionError("ondato-process failed for " + type, exchange.getException());
        }
        // A verification named in the event is enough: no identification is pulled to learn it.
        assertThat(PROVIDERS.findAll(getRequestedFor(urlPathMatching(KYC_CALLS)))).isEmpty();
        List<String> pulled = PROVIDERS.findAll(getRequestedFor(urlPathMatching(IDV_CALLS))).stream()
                .map(LoggedRequest::getUrl).map(url -> url.substring(url.lastIndexOf('/') + 1)).toList();
        assertThat(jdbc.queryForList("select subject from inbound_message where provider = 'ondato' "
                + "and message_type = 'identity-verification'", String.class)).isEqualTo(pulled);
        return pulled;
    }

    private Exchange send(String type, String payloadId, String payloadVerificationId) {
        return send(type, "{\"id\":\"%s\",\"identityVerificationId\":\"%s\"}".formatted(payloadId,
                payloadVerificationId));
    }

    private Exchange send(String type, String payload) {
        String webhook = ("{\"id\":\"5f0c8e2a-1b7d-4c39-9e4a-6a2d8b1f0c73\",\"applicationId\":\"app-1\","
                + "\"createdUtc\":\"2024-05-06T07:08:09Z\",\"deliveredUtc\":\"2024-05-06T07:08:10Z\","
                + "\"isDelivered\":true,\"type\":\"%s\",\"payload\":%s}").formatted(type, payload);
        return producer.request("direct:ondato-process", e -> {
            e.getIn().setBody(webhook);
            e.setVariable("messageType", "webhook");
            e.setVariable("inboxMessageId", null);
        });
    }
}
