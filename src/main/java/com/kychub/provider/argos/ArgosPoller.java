package com.kychub.provider.argos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.ReconcilePulls;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code argos-reconcile-case}: the submission of a quiet case, and what becomes of the submission ARGOS
 * answers ({@link ReconcilePulls}: into the inbox when it says something the case does not). The answer is kept
 * without its personal fields: the hub pulls it for the KYC result, and the webhooks bring the personal data.
 */
@Component
public class ArgosPoller {

    private final CaseQueries cases;
    private final ReconcilePulls pulls;
    private final ObjectMapper json;

    public ArgosPoller(CaseQueries cases, ReconcilePulls pulls, ObjectMapper json) {
        this.cases = cases;
        this.pulls = pulls;
        this.json = json;
    }

    /** The case's submission id (the case is named by it), or null when it could not go into a request URL. */
    public String submissionOf(@Body Map<String, Object> quietCase) {
        String ref = (String) quietCase.get("provider_ref");
        return ref != null && ArgosClient.ID.matcher(ref).matches() ? ref : null;
    }

    public void offer(@Body String answer, @Variable("subject") String submissionId) {
        String kept = answer;
        try {
            JsonNode tree = json.readTree(answer);
            ArgosMapping.scrub(tree, new ArrayList<>());
            kept = json.writeValueAsString(tree);
            pulls.offer(ArgosMapping.fromSubmission(tree, submissionId,
                            cases.findCases(ArgosMapping.PROVIDER, submissionId, 1).stream().findFirst().orElse(null)),
                    ArgosMapping.SUBMISSION, submissionId, kept);
        } catch (IOException | UnmappableMessageException e) {
            pulls.unreadable(ArgosMapping.PROVIDER, ArgosMapping.SUBMISSION, submissionId, kept);
        }
    }
}
