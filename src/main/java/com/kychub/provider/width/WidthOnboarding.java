package com.kychub.provider.width;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.canonical.ProviderAction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts a customer's WIDTH onboarding: opens the case {@code customer:<customerId>} with a fresh referenceId and has
 * the action worker register the applicant ({@code workflow.applicant.register}); its answer plans
 * {@code workflow.apply.submit}, whose executionId then names the case (see {@link WidthProcess}).
 */
@Component
public class WidthOnboarding implements OnboardingStarter {

    static final String REGISTER = "REGISTER:";
    static final String START_WORKFLOW = "START_WORKFLOW:";

    private final CanonicalStore store;
    private final JdbcTemplate jdbc;

    public WidthOnboarding(CanonicalStore store, JdbcTemplate jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    @Override
    public String provider() {
        return WidthMapping.PROVIDER;
    }

    /** The customer's open WIDTH case when there is one (asked again, nothing new starts), else a new one. */
    @Override
    @Transactional
    public UUID start(String customerId) {
        List<UUID> open = jdbc.queryForList("""
                select id from kyc_case where provider = ? and customer_id = ?
                  and status in ('NOT_STARTED', 'IN_PROGRESS', 'ACTION_REQUIRED')
                order by created_at desc limit 1""", UUID.class, WidthMapping.PROVIDER, customerId);
        if (!open.isEmpty()) {
            return open.get(0);
        }
        String referenceId = UUID.randomUUID().toString();
        CaseUpdate opening = new CaseUpdate(WidthMapping.PROVIDER, WidthProcess.BEFORE_EXECUTION + customerId,
                customerId, CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), null, "ONBOARDING_REQUESTED",
                Map.of("referenceId", referenceId), null, null, false,
                List.of(new ProviderAction(REGISTER + referenceId, Map.of("referenceId", referenceId))), null);
        return store.apply(opening, null).caseId();
    }
}
