package com.kychub.provider.ondato;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.ReconcilePulls;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code ondato-reconcile-case}: the identity verification of a quiet case, and what becomes of what
 * Ondato answers about it ({@link ReconcilePulls}: into the inbox when it says something the case does not). The
 * KYC identification is the truth when the verification names one; else the verification itself says the customer
 * has not reached that step.
 */
@Component
public class OndatoPoller {

    private final ReconcilePulls pulls;
    private final ObjectMapper json;
    private final KycProperties.Ondato settings;

    public OndatoPoller(ReconcilePulls pulls, ObjectMapper json, KycProperties properties) {
        this.pulls = pulls;
        this.json = json;
        this.settings = properties.providers().ondato();
    }

    /**
     * The case's identity verification id, or null for a case Ondato has not named yet ({@code customer:<id>}: the
     * hub's start is still on its way, the action worker's business).
     */
    public String verificationOf(@Body Map<String, Object> quietCase) {
        String ref = (String) quietCase.get("provider_ref");
        return ref != null && OndatoClient.ID.matcher(ref).matches() ? ref : null;
    }

    /** A KYC identification the verification names. */
    public void offerIdentification(@Body String answer, @Variable("subject") String verificationId,
                                    @Variable("customerId") String customerId) {
        try {
            JsonNode identification = read(answer);
            CaseUpdate says = OndatoMapping.identification(verificationId, customerId,
                    OndatoEnvelope.text(identification, "id"), OndatoEnvelope.text(identification, "status"),
                    OndatoEnvelope.text(identification, "statusReason"), OndatoProcess.rejectionReasons(identification),
                    idvUrl(verificationId), null);
            pulls.offer(says, OndatoMapping.IDENTIFICATION, verificationId, answer);
        } catch (UnmappableMessageException e) {
            pulls.unreadable(OndatoMapping.PROVIDER, OndatoMapping.IDENTIFICATION, verificationId, answer);
        }
    }

    /** A verification that names no KYC identification yet. */
    public void offerVerification(@Body String answer, @Variable("subject") String verificationId,
                                  @Variable("customerId") String customerId) {
        try {
            CaseUpdate says = OndatoMapping.withoutIdentification(verificationId, customerId,
                    OndatoEnvelope.text(read(answer), "status"), idvUrl(verificationId), null);
            pulls.offer(says, OndatoMapping.IDENTITY_VERIFICATION, verificationId, answer);
        } catch (UnmappableMessageException e) {
            pulls.unreadable(OndatoMapping.PROVIDER, OndatoMapping.IDENTITY_VERIFICATION, verificationId, answer);
        }
    }

    private String idvUrl(String verificationId) {
        return OndatoMapping.idvUrl(settings.idvUrlTemplate(), verificationId);
    }

    private JsonNode read(String body) {
        return OndatoEnvelope.object(json, body);
    }
}
