package com.kychub.provider.connectfi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.kychub.canonical.Customers;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.Inbox;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code connectfi-poll-case}: which Connect Financial customer a claimed case asks the status of (the
 * status API answers per customer, about the customer's current onboarding, so a case that is not the current one is
 * not pulled), and whether the answer goes into the inbox, where {@code connectfi-process} picks it up.
 */
@Component
public class ConnectfiPoller {

    private final Customers customers;
    private final Inbox inbox;

    public ConnectfiPoller(Customers customers, Inbox inbox) {
        this.customers = customers;
        this.inbox = inbox;
    }

    /**
     * @param dueCase a case as {@code canonical-claim-due} claimed it
     * @return the Connect Financial customer id whose status to pull, or null when there is nothing to pull
     */
    public String customerOf(@Body Map<String, Object> dueCase) {
        String customerId = (String) dueCase.get("customer_id");
        String providerRef = (String) dueCase.get("provider_ref");
        return customers.linkByCustomer(ConnectfiMapping.PROVIDER, customerId)
                .filter(link -> link.currentRef() == null || link.currentRef().equals(providerRef))
                .map(Customers.ProviderLink::providerCustomerId)
                .orElse(null);
    }

    /**
     * Stores a polled compliance status, unless it says exactly what the last one for that customer said and the
     * customer's data has not changed since (new data may let the hub act on the same status).
     */
    public void storePolledStatus(@Body String status, @Variable("subject") String connectfiCustomerId) {
        Optional<Inbox.Received> last = inbox.last(ConnectfiMapping.PROVIDER, ConnectfiMapping.COMPLIANCE_STATUS,
                connectfiCustomerId);
        Optional<Instant> dataChanged = customers.linkByProviderId(ConnectfiMapping.PROVIDER, connectfiCustomerId)
                .map(link -> customers.dataChangedAt(link.customerId()));
        if (last.isPresent() && last.get().body().equals(status) && dataChanged.isPresent()
                && last.get().receivedAt().isAfter(dataChanged.get())) {
            return;
        }
        inbox.storePolled(ConnectfiMapping.PROVIDER, ConnectfiMapping.COMPLIANCE_STATUS, connectfiCustomerId, null,
                "status:" + connectfiCustomerId + ":" + DedupKeys.sha256Hex(status.getBytes(StandardCharsets.UTF_8))
                        + ":" + System.currentTimeMillis(), status);
    }
}
