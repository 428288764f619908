package com.kychub.provider.width;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;
import org.junit.jupiter.api.Test;

/** The WIDTH tables read against doc 000 ("Poll status", "Submit node data"), and the assumed signature. */
class WidthMappingTest {

    @Test
    void statusTableOfTheDoc() {
        assertThat(WidthMapping.status("CREATED")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.IN_PROGRESS, NextAction.WAIT, false));
        assertThat(WidthMapping.status("RUNNING")).isEqualTo(
                new WidthMapping.Outcome(CaseStatus.IN_PROGRESS, NextAction.WAIT, false));
        assertThat(WidthMapping.status("FAILED").status()).isEqualTo(CaseStatus.ERROR);
        assertThat(WidthMapping.status("TIMEOUT").status()).isEqualTo(CaseStatus.EXPIRED);
        assertThat(WidthMapping.status("CANCELLED").status()).isEqualTo(CaseStatus.CANCELLED);
        assertThat(WidthMapping.status("FAILED").terminal()).isTrue();
        assertThatThrownBy(() -> WidthMapping.status("PAUSED")).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("PAUSED");
    }

    @Test
    void resultOfACompletedExecution() {
        assertThat(WidthMapping.result("APPROVED").status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(WidthMapping.result("rejected").status()).isEqualTo(CaseStatus.REJECTED);
        assertThat(WidthMapping.result("MANUAL_REVIEW").status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThatThrownBy(() -> WidthMapping.result("MAYBE")).isInstanceOf(UnmappableMessageException.class);
        assertThatThrownBy(() -> WidthMapping.result(null)).isInstanceOf(UnmappableMessageException.class);
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
