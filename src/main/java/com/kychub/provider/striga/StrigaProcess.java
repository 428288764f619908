package com.kychub.provider.striga;

import java.util.List;

import com.kychub.KycProperties;
import com.kychub.canonical.CaseUpdate;
import com.kychub.inbound.Inbox;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code striga-process} beyond the mapping, inside the inbox worker's transaction: a verdict webhook
 * without {@code ts} is settled by Striga's Get KYC Status when the hub can call it ({@link #pullsFirst}): the webhook
 * is kept as received and the answer, stored as caused by it, is the truth applied.
 */
@Component
public class StrigaProcess {

    private final Inbox inbox;
    private final KycProperties.Striga settings;

    public StrigaProcess(Inbox inbox, KycProperties properties) {
        this.inbox = inbox;
        this.settings = properties.providers().striga();
    }

    /** Whether the webhook's verdict is asked of the status API before anything is decided. */
    public boolean pullsFirst(@Body StrigaEvent webhook) {
        return settings.statusApiConfigured() && StrigaMapping.isVerdictWithoutTime(webhook);
    }

    /** Stores the status pulled after a webhook in the inbox, as caused by that webhook; the webhook decides nothing. */
    public List<CaseUpdate> storeStatus(@Body String answer, @Variable("subject") String userId,
                                        @Variable("inboxMessageId") Long webhookMessageId) {
        inbox.storePolled(StrigaMapping.PROVIDER, StrigaMapping.KYC_STATUS, userId, webhookMessageId,
                "kyc-status:" + userId + ":after:" + webhookMessageId, answer);
        return List.of();
    }

    /** A pulled Get KYC Status answer about the user it was asked for: the truth. */
    public CaseUpdate onStatus(@Body StrigaEvent answer, @Variable("subject") String userId) {
        return StrigaMapping.fromStatusApi(answer, userId);
    }
}
