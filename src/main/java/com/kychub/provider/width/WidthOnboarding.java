package com.kychub.provider.width;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.canonical.ProviderAction;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts a customer's WIDTH onboarding: opens the case {@code customer:<customerId>} with a fresh referenceId and has
 * the action worker register the applicant ({@code workflow.applicant.register}); its answer plans
 * {@code workflow.apply.submit}, whose executionId then names the case (see {@link WidthProcess}).
 */
@Component
public class WidthOnboarding implements OnboardingStarter {

    private final CanonicalStore store;
    private final CaseQueries cases;

    public WidthOnboarding(CanonicalStore store, CaseQueries cases) {
        this.store = store;
        this.cases = cases;
    }

    @Override
    public String provider() {
        return WidthMapping.PROVIDER;
    }

    /** The customer's open WIDTH case when there is one (asked again, nothing new starts), else a new one. */
    @Override
    @Transactional
    public UUID start(String customerId) {
        Optional<UUID> open = cases.openCase(WidthMapping.PROVIDER, customerId);
        if (open.isPresent()) {
            return open.get();
        }
        String referenceId = UUID.randomUUID().toString();
        CaseUpdate opening = new CaseUpdate(WidthMapping.PROVIDER, WidthProcess.BEFORE_EXECUTION + customerId,
                customerId, CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), null, "ONBOARDING_REQUESTED",
                Map.of("referenceId", referenceId), null, null, false,
                List.of(ProviderAction.of(WidthMapping.Action.REGISTER, Map.of("referenceId", referenceId),
                        referenceId)), null);
        return store.apply(opening, null).caseId();
    }
}
