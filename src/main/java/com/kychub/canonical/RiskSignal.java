package com.kychub.canonical;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A fraud or AML finding a provider reported about a case, kept as one of the case's checks so that it reads the same
 * for every provider: the check's detail names the kind under {@code riskSignal}, and the signal is open while the
 * check is required and not passed. A provider mapping opens one when the provider reports the finding and closes it
 * (required false, the detail kept) when the provider reports a human decision on it. {@link OverallStatus} reads it;
 * in SQL: {@code kyc_check where required and not passed and detail ->> 'riskSignal' in ('AML', 'FRAUD')}.
 * <p>
 * A check without the key is never a signal, whatever its state: a required check that is not passed is most often a
 * step still to do (a pending document, a screening still running).
 */
public enum RiskSignal {
    AML,
    FRAUD;

    public static final String DETAIL_KEY = "riskSignal";

    /** The given check detail with this signal's kind added. */
    public Map<String, Object> mark(Map<String, Object> detail) {
        Map<String, Object> marked = new LinkedHashMap<>(detail);
        marked.put(DETAIL_KEY, name());
        return marked;
    }

    /** The kind of signal the check records, open or closed; empty when it records none. */
    public static Optional<RiskSignal> of(CheckResult check) {
        Object kind = check.detail().get(DETAIL_KEY);
        for (RiskSignal signal : values()) {
            if (signal.name().equals(kind)) {
                return Optional.of(signal);
            }
        }
        return Optional.empty();
    }

    /** Whether the check records a fraud or AML signal that no human decision has closed yet. */
    public static boolean isOpen(CheckResult check) {
        return of(check).isPresent() && check.required() && !check.passed();
    }
}
