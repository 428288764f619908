package com.kychub.provider.ondato;

import java.util.List;
import java.util.UUID;

import com.kychub.KycProperties;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.Customers;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.ProviderNotConfiguredException;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts a customer at Ondato: opens the case {@code customer:<customerId>} and has the action worker create an
 * identity verification ({@code POST /v1/identity-verifications}); its answer renames the case to the verification
 * id and gives the customer's IDV URL. From there Ondato's webhooks drive the case.
 */
@Component
public class OndatoOnboarding implements OnboardingStarter {

    private final Customers customers;
    private final CanonicalStore store;
    private final CaseQueries cases;
    private final KycProperties.Ondato settings;

    public OndatoOnboarding(Customers customers, CanonicalStore store, CaseQueries cases, KycProperties properties) {
        this.customers = customers;
        this.store = store;
        this.cases = cases;
        this.settings = properties.providers().ondato();
    }

    @Override
    public String provider() {
        return OndatoMapping.PROVIDER;
    }

    @Override
    @Transactional
    public UUID start(String customerId) {
        if (!StringUtils.hasText(settings.setupId())) {
            // Better said now than by a start call that can only die.
            throw new ProviderNotConfiguredException("Ondato is not configured: KYC_ONDATO_SETUP_ID is not set");
        }
        String ref = customers.linkByCustomer(OndatoMapping.PROVIDER, customerId)
                .map(Customers.ProviderLink::currentRef)
                .orElse(OndatoProcess.BEFORE_VERIFICATION + customerId);
        var existing = cases.findCases(OndatoMapping.PROVIDER, ref, 1);
        if (!existing.isEmpty()) {
            return existing.get(0).id();
        }
        CaseUpdate opening = new CaseUpdate(OndatoMapping.PROVIDER, ref, customerId, CaseStatus.IN_PROGRESS,
                NextAction.WAIT, List.of(), null, "ONBOARDING_REQUESTED", null, null, null, false,
                List.of(ProviderAction.of(OndatoMapping.Action.CREATE_IDENTITY_VERIFICATION, null)), null);
        return store.apply(opening, null).caseId();
    }
}
