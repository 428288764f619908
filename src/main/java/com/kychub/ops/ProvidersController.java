package com.kychub.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.kychub.action.ProviderActions;
import com.kychub.canonical.KnownProviders;
import com.kychub.inbound.Inbox;
import com.kychub.inbound.ProviderCircuits;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators (the console's providers page): per provider, its circuit breaker ({@link ProviderCircuits}), its
 * backlog in the inbox and in the provider actions, its newest error, and the webhooks and pulls the inbox received in
 * each of the last 60 minutes (by the store's clock), oldest first, zeros included.
 */
@RestController
@RequestMapping("/api/v1/ops/providers")
public class ProvidersController {

    private static final List<String> INBOX_STATES = List.of("ACCEPTED", "FAILED", "DEAD");
    private static final List<String> ACTION_STATES = List.of("PENDING", "FAILED", "DEAD");
    private static final int MINUTES = 60;

    public record Providers(List<ProviderHealth> items) {
    }

    /**
     * One provider.
     *
     * @param circuit      CLOSED, OPEN, HALF_OPEN, ... (resilience4j's state), null before its call route started
     * @param circuitSince when the circuit entered that state, null when it has not changed since the hub started
     * @param inbox        messages waiting (ACCEPTED), FAILED and DEAD
     * @param actions      actions PENDING, FAILED and DEAD
     * @param lastError    the newest FAILED or DEAD message or action, null when there is none
     * @param perMinute    the last 60 minutes, oldest first, the current one last
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ProviderHealth(String provider, String circuit, Instant circuitSince, Map<String, Long> inbox,
                                 Map<String, Long> actions, LastError lastError, List<Minute> perMinute) {
    }

    /**
     * The newest error of a provider.
     *
     * @param at     when it failed (for a DEAD entry, which is not stamped when it dies, when it was received or made)
     * @param source {@code inbox} or {@code action}: where {@code id} points
     * @param text   its last error: an exception's class and message or the provider's refusal, never a body
     */
    public record LastError(Instant at, String source, long id, String text) {
    }

    public record Minute(Instant minute, long webhooks, long pulls) {
    }

    private final Inbox inbox;
    private final ProviderActions actions;
    private final ProviderCircuits circuits;

    public ProvidersController(Inbox inbox, ProviderActions actions, ProviderCircuits circuits) {
        this.inbox = inbox;
        this.actions = actions;
        this.circuits = circuits;
    }

    @GetMapping
    public Providers providers() {
        Map<String, Map<String, Long>> inboxCounts = new HashMap<>();
        inbox.countsUnsettled().forEach(count -> inboxCounts
                .computeIfAbsent(count.provider(), p -> new HashMap<>()).put(count.state(), count.messages()));
        Map<String, Map<String, Long>> actionCounts = new HashMap<>();
        actions.countsNotDone().forEach(count -> actionCounts
                .computeIfAbsent(count.provider(), p -> new HashMap<>()).put(count.state(), count.actions()));
        Map<String, LastError> lastErrors = new HashMap<>();
        inbox.lastErrors().forEach(error -> newest(lastErrors, error.provider(),
                new LastError(error.at(), "inbox", error.id(), error.text())));
        actions.lastErrors().forEach(error -> newest(lastErrors, error.provider(),
                new LastError(error.at(), "action", error.id(), error.text())));
        Instant current = inbox.currentMinute();
        Instant first = current.minus(Duration.ofMinutes(MINUTES - 1));
        Map<String, Map<Instant, Inbox.MinuteCount>> minutes = new HashMap<>();
        inbox.perMinuteSince(first).forEach(count -> minutes
                .computeIfAbsent(count.provider(), p -> new HashMap<>()).put(count.minute(), count));

        List<ProviderHealth> items = new ArrayList<>();
        for (String provider : KnownProviders.IDS) {
            items.add(new ProviderHealth(provider, circuits.state(provider), circuits.since(provider),
                    ofStates(INBOX_STATES, inboxCounts.get(provider)),
                    ofStates(ACTION_STATES, actionCounts.get(provider)),
                    lastErrors.get(provider), lastHour(first, minutes.getOrDefault(provider, Map.of()))));
        }
        return new Providers(items);
    }

    private static void newest(Map<String, LastError> newest, String provider, LastError error) {
        newest.merge(provider, error, (known, other) -> other.at().isAfter(known.at()) ? other : known);
    }

    private static Map<String, Long> ofStates(List<String> states, Map<String, Long> counts) {
        Map<String, Long> shown = new LinkedHashMap<>();
        states.forEach(state -> shown.put(state, counts == null ? 0L : counts.getOrDefault(state, 0L)));
        return shown;
    }

    private static List<Minute> lastHour(Instant first, Map<Instant, Inbox.MinuteCount> counted) {
        List<Minute> hour = new ArrayList<>(MINUTES);
        for (int i = 0; i < MINUTES; i++) {
            Instant minute = first.plus(Duration.ofMinutes(i));
            Inbox.MinuteCount count = counted.get(minute);
            hour.add(count == null ? new Minute(minute, 0, 0) : new Minute(minute, count.webhooks(), count.pulls()));
        }
        return hour;
    }
}
