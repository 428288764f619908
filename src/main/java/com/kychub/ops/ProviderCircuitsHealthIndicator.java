package com.kychub.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.kychub.inbound.ProviderCircuits;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code providerCircuits} component of {@code /actuator/health}: each provider's circuit state, since when (once
 * it has changed), and the calls its breaker counts (over its last 20 calls; not-permitted calls while open). Always UP: with one provider down the hub still takes every webhook and serves its API, so a
 * load balancer must not drop it; what the open circuit delays waits in the inbox. (Readiness is not affected either:
 * it reads only the application's readiness state.)
 */
@Component
public class ProviderCircuitsHealthIndicator implements HealthIndicator {

    private final ProviderCircuits circuits;

    public ProviderCircuitsHealthIndicator(ProviderCircuits circuits) {
        this.circuits = circuits;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        circuits.circuits().forEach((provider, circuit) -> health.withDetail(provider, details(provider, circuit)));
        return health.build();
    }

    private Map<String, Object> details(String provider, ResilienceProcessor circuit) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", circuit.getCircuitBreakerState() == null ? "NOT_STARTED" : circuit.getCircuitBreakerState());
        Instant since = circuits.since(provider);
        if (since != null) {
            details.put("since", since.toString());
        }
        details.put("bufferedCalls", circuit.getNumberOfBufferedCalls());
        details.put("failedCalls", circuit.getNumberOfFailedCalls());
        details.put("slowCalls", circuit.getNumberOfSlowCalls());
        details.put("notPermittedCalls", circuit.getNumberOfNotPermittedCalls());
        return details;
    }
}
