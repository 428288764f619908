package com.kychub.provider.striga;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.ReconcilePulls;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code striga-reconcile-case}: the Striga user of a quiet case, and what becomes of its pulled status
 * ({@link ReconcilePulls}: into the inbox when it says something the case does not).
 */
@Component
public class StrigaPoller {

    private final ReconcilePulls pulls;
    private final ObjectMapper json;

    public StrigaPoller(ReconcilePulls pulls, ObjectMapper json) {
        this.pulls = pulls;
        this.json = json;
    }

    /** The case's Striga user id (the case is named by it), or null when it could not go into a request path. */
    public String userOf(@Body Map<String, Object> quietCase) {
        String ref = (String) quietCase.get("provider_ref");
        return ref != null && StrigaClient.ID.matcher(ref).matches() ? ref : null;
    }

    public void offer(@Body String answer, @Variable("subject") String userId) {
        try {
            StrigaEvent status = json.readValue(answer, StrigaEvent.class);
            if (status == null) {
                throw new UnmappableMessageException("Striga's KYC status answer is empty");
            }
            pulls.offer(StrigaMapping.fromStatusApi(status, userId), StrigaMapping.KYC_STATUS, userId, answer);
        } catch (IOException | UnmappableMessageException e) {
            pulls.unreadable(StrigaMapping.PROVIDER, StrigaMapping.KYC_STATUS, userId, answer);
        }
    }
}
