package com.kychub.provider.connectfi;

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
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts a customer at Connect Financial: opens the case and, when the customer is not there yet, has the action
 * worker create them ({@code POST /v1/customers}, with the KYC data the hub holds). From there Connect Financial's
 * webhooks and the status poller drive the case.
 */
@Component
public class ConnectfiOnboarding implements OnboardingStarter {

    private final Customers customers;
    private final CanonicalStore store;
    private final CaseQueries cases;
    private final KycProperties.Connectfi settings;

    public ConnectfiOnboarding(Customers customers, CanonicalStore store, CaseQueries cases,
                               KycProperties properties) {
        this.customers = customers;
        this.store = store;
        this.cases = cases;
        this.settings = properties.providers().connectfi();
    }

    @Override
    public String provider() {
        return ConnectfiMapping.PROVIDER;
    }

    @Override
    @Transactional
    public UUID start(String customerId) {
        Customers.ProviderLink link = customers.linkByCustomer(ConnectfiMapping.PROVIDER, customerId).orElse(null);
        String ref = link != null && link.currentRef() != null
                ? link.currentRef() : ConnectfiProcess.BEFORE_ONBOARDING + customerId;
        var existing = cases.findCases(ConnectfiMapping.PROVIDER, ref, 1);
        if (!existing.isEmpty()) {
            store.pollSoon(ConnectfiMapping.PROVIDER, ref);
            return existing.get(0).id();
        }
        boolean create = link == null && settings.actions().createCustomer();
        CaseUpdate opening = new CaseUpdate(ConnectfiMapping.PROVIDER, ref, customerId,
                create || link != null ? CaseStatus.IN_PROGRESS : CaseStatus.NOT_STARTED,
                create || link != null ? NextAction.WAIT : NextAction.START_KYC,
                create || link != null ? List.of() : List.of("CUSTOMER_NOT_AT_PROVIDER"),
                null, "ONBOARDING_REQUESTED", null, null, null, false,
                create ? List.of(ProviderAction.of(ConnectfiMapping.Action.CREATE_CUSTOMER, null)) : null, settings.pollPeriod());
        UUID caseId = store.apply(opening, null).caseId();
        if (link != null) {
            store.pollSoon(ConnectfiMapping.PROVIDER, ref);
        }
        return caseId;
    }
}
