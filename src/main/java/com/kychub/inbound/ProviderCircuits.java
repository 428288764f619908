package com.kychub.inbound;

import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The providers' circuit breakers, as operators see them. Each is the resilience4j {@code circuitBreaker} step with
 * id {@code <provider>-circuit} in the provider's {@code <provider>-call} route, found through Camel's routes. Per
 * provider: the gauge {@code kyc.provider.circuit{provider, state}} (1 for the current state of CLOSED, OPEN and
 * HALF_OPEN, 0 for the others), the counter {@code kyc.provider.circuit.transitions{provider, transition}}, a log
 * line at every transition, and the {@code providerCircuits} health component ({@code ProviderCircuitsHealthIndicator}).
 * The inbox and action workers ask it whether a provider is down before they count a failed call against a message.
 */
@Component
public class ProviderCircuits implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProviderCircuits.class);
    private static final String SUFFIX = "-circuit";
    private static final List<CircuitBreaker.State> GAUGED = List.of(CircuitBreaker.State.CLOSED,
            CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);

    private final MeterRegistry registry;
    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    private final Set<CircuitBreaker> watched = Collections.synchronizedSet(Collections.newSetFromMap(
            new IdentityHashMap<>()));
    private volatile CamelContext camel;

    public ProviderCircuits(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Every provider's circuit breaker step, by provider name. */
    public Map<String, ResilienceProcessor> circuits() {
        Map<String, ResilienceProcessor> circuits = new TreeMap<>();
        if (camel != null) {
            camel.getRoutes().forEach(route -> circuitsOf(route).forEach(circuits::put));
        }
        return circuits;
    }

    /** The state of the provider's circuit (CLOSED, OPEN, HALF_OPEN, ...), or null before its route started. */
    public String state(String provider) {
        ResilienceProcessor circuit = camel == null ? null
                : camel.getProcessor(provider + SUFFIX, ResilienceProcessor.class);
        return circuit == null ? null : circuit.getCircuitBreakerState();
    }

    /**
     * True while the provider's circuit is OPEN or HALF_OPEN: the provider is judged down, so a call that failed now
     * failed because of the outage, not because of the message it carried.
     */
    public boolean isDown(String provider) {
        String state = state(provider);
        return "OPEN".equals(state) || "HALF_OPEN".equals(state);
    }

    /** When the provider's circuit entered its current state, or null when it has not changed since the start. */
    public Instant since(String provider) {
        return since.get(provider);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        // The breaker is made when its route starts (and kept across restarts of the route): watch it from then on.
        camelContext.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.RouteStartedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                circuitsOf(((CamelEvent.RouteStartedEvent) event).getRoute()).forEach(ProviderCircuits.this::watch);
            }
        });
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    private static Map<String, ResilienceProcessor> circuitsOf(Route route) {
        Map<String, ResilienceProcessor> circuits = new TreeMap<>();
        for (Processor processor : route.filter("*")) {
            if (processor instanceof ResilienceProcessor circuit && circuit.getId().endsWith(SUFFIX)) {
                circuits.put(circuit.getId().substring(0, circuit.getId().length() - SUFFIX.length()), circuit);
            }
        }
        return circuits;
    }

    private void watch(String provider, ResilienceProcessor circuit) {
        CircuitBreaker breaker = circuit.getCircuitBreaker();
        if (breaker == null || !watched.add(breaker)) {
            return;
        }
        for (CircuitBreaker.State state : GAUGED) {
            Gauge.builder("kyc.provider.circuit", this, circuits -> state.name().equals(circuits.state(provider)) ? 1 : 0)
                    .description("1 when the provider's circuit breaker is in this state")
                    .tag("provider", provider)
                    .tag("state", state.name())
                    .register(registry);
        }
        breaker.getEventPublisher()
                .onStateTransition(event -> transitioned(provider, event))
                .onReset(event -> since.put(provider, event.getCreationTime().toInstant()));
    }

    private void transitioned(String provider, CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.StateTransition transition = event.getStateTransition();
        since.put(provider, event.getCreationTime().toInstant());
        registry.counter("kyc.provider.circuit.transitions", "provider", provider, "transition", transition.name())
                .increment();
        if (transition.getToState() == CircuitBreaker.State.OPEN) {
            log.warn("Calls to {} stop: its circuit went {} -> OPEN; messages and actions wait without spending "
                    + "attempts", provider, transition.getFromState());
        } else {
            log.info("Circuit of {} went {} -> {}", provider, transition.getFromState(), transition.getToState());
        }
    }
}
