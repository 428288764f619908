package com.kychub.scheduling;

import java.util.LinkedHashMap;
import java.util.Map;

import com.kychub.KycProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps each provider's reconciliation ({@code <provider>-reconcile}) only when the hub can call the provider's
 * status API, and says once at start-up, for each provider, whether missed webhooks will be repaired.
 */
@Component
public class ReconcileGate implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReconcileGate.class);

    private final Map<String, Boolean> configured = new LinkedHashMap<>();
    private final Map<String, String> settings = Map.of(
            "striga", "KYC_STRIGA_BASE_URL, KYC_STRIGA_API_KEY and KYC_STRIGA_API_SECRET",
            "argos", "KYC_ARGOS_BASE_URL and KYC_ARGOS_API_KEY",
            "ondato", "KYC_ONDATO_API_KEY, or the OAuth2 client of kyc.providers.ondato.api-auth");

    public ReconcileGate(KycProperties properties) {
        KycProperties.Providers providers = properties.providers();
        configured.put("striga", providers.striga().statusApiConfigured());
        configured.put("argos", providers.argos().statusApiConfigured());
        configured.put("ondato", providers.ondato().statusApiConfigured());
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        configured.forEach((provider, on) -> {
            RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition(provider + "-reconcile");
            if (route == null) {
                return;
            }
            if (on) {
                log.info("{}: missed webhooks are repaired from its status API (route {})", provider, route.getId());
            } else {
                // Removed rather than left stopped: a stopped route's Quartz endpoint would still schedule its job.
                try {
                    ((ModelCamelContext) camel).removeRouteDefinition(route);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot remove route " + route.getId(), e);
                }
                log.warn("{}: its status API is not configured ({}): the hub works from its webhooks alone, and a "
                        + "missed webhook is not repaired", provider, settings.get(provider));
            }
        });
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }
}
