package com.kychub.provider.width;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.provider.width.WidthMapping.Polling;
import org.junit.jupiter.api.Test;

/** The WIDTH tables read against doc 000 ("Poll status", "Submit node data"), and the assumed signature. */
class WidthMappingTest {

    @Test
    void statusTableOfTheDoc() {
        assertThat(WidthMapping.status("CREATED")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.IN_PROGRESS, NextAction.WAIT, null, Polling.GO_ON));
        assertThat(WidthMapping.status("RUNNING")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.IN_PROGRESS, NextAction.WAIT, null, Polling.GO_ON));
        assertThat(WidthMapping.status("FAILED")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.ERROR, NextAction.CONTACT_SUPPORT, "WIDTH_FAILED", Polling.STOP));
        assertThat(WidthMapping.status("TIMEOUT")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.EXPIRED, NextAction.CONTACT_SUPPORT, "WIDTH_TIMEOUT", Polling.STOP));
        assertThat(WidthMapping.status("CANCELLED")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.CANCELLED, NextAction.NONE, "WIDTH_CANCELLED", Polling.STOP));
        assertThatThrownBy(() -> WidthMapping.status("PAUSED")).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("PAUSED");
    }

    /** "Workflow completes or routes to manual review": a verdict stops polling, a review is polled until one. */
    @Test
    void resultOfACompletedExecution() {
        assertThat(WidthMapping.result("APPROVED")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.APPROVED, NextAction.NONE, null, Polling.STOP));
        assertThat(WidthMapping.result("PASS").status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(WidthMapping.result("rejected")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.REJECTED, NextAction.NONE, null, Polling.STOP));
        assertThat(WidthMapping.result("FAIL").status()).isEqualTo(CaseStatus.REJECTED);
        assertThat(WidthMapping.result("MANUAL_REVIEW")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.IN_REVIEW, NextAction.WAIT, null, Polling.REVIEW));
        assertThat(WidthMapping.result("IN_REVIEW")).isEqualTo(WidthMapping.result("MANUAL_REVIEW"));
        assertThatThrownBy(() -> WidthMapping.result("MAYBE")).isInstanceOf(UnmappableMessageException.class);
        // Completed without a result: never a verdict, flagged and looked at until one appears.
        assertThat(WidthMapping.result(null)).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.IN_REVIEW, NextAction.WAIT, "RESULT_MISSING", Polling.REVIEW));
        assertThat(WidthMapping.result(" ")).isEqualTo(WidthMapping.result(null));
    }

    /** The assumed shapes of {@code result}: a string or an object's decision / status; none; or unreadable. */
    @Test
    void theResultIsAStringOrAnObjectsDecisionAndMayBeMissing() throws Exception {
        assertThat(completed("\"APPROVED\"").resultValue()).isEqualTo("APPROVED");
        assertThat(completed("{\"decision\":\"REJECTED\",\"status\":\"DONE\"}").resultValue()).isEqualTo("REJECTED");
        assertThat(completed("{\"status\":\"PASS\"}").resultValue()).isEqualTo("PASS");
        for (String none : new String[] {null, "null", "\"\"", "{}", "{\"decision\":null}"}) {
            assertThat(completed(none).resultValue()).as(none).isNull();
        }
        for (String unreadable : new String[] {"42", "[\"APPROVED\"]", "{\"verdict\":\"APPROVED\"}",
                "{\"decision\":{\"value\":\"APPROVED\"}}"}) {
            assertThatThrownBy(() -> completed(unreadable).resultValue()).as(unreadable)
                    .isInstanceOf(UnmappableMessageException.class);
        }
    }

    private static WidthStatus completed(String result) throws Exception {
        String answer = "{\"executionId\":\"exec-abc123def456\",\"status\":\"COMPLETED\""
                + (result == null ? "" : ",\"result\":" + result) + "}";
        return new ObjectMapper().readValue(answer, WidthStatus.class);
    }

    @Test
    void everyNodeTypeThatNeedsDataNamesWhatTheUserMustProvide() {
        assertThat(WidthMapping.needs(WidthMapping.OCR)).isEqualTo(NextAction.PROVIDE_DOCUMENT);
        assertThat(WidthMapping.needs(WidthMapping.PARTICULAR)).isEqualTo(NextAction.PROVIDE_PERSONAL_DATA);
        assertThat(WidthMapping.needs(WidthMapping.LIVENESS)).isEqualTo(NextAction.PROVIDE_LIVENESS);
        assertThat(WidthMapping.needs(WidthMapping.REQUIRED_FORMS)).isEqualTo(NextAction.PROVIDE_FORM);
        assertThat(WidthMapping.needs(WidthMapping.SCREEN_CHECK)).isNull();
    }

    @Test
    void theAssumedSignatureIsHexHmacSha256OfTimestampDotBody() throws Exception {
        var headers = new HmacSha256WidthSignature("s3cret").headers("{\"executionId\":\"e-1\"}",
                Instant.ofEpochMilli(1767225600000L));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(
                "1767225600000.{\"executionId\":\"e-1\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(headers).containsEntry("x-timestamp", "1767225600000").containsEntry("x-signature", expected);
        assertThatThrownBy(() -> new HmacSha256WidthSignature("")).isInstanceOf(IllegalStateException.class);
    }
}
