package com.kychub.http;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;


/**
 * The checks every list of the API makes of its query parameters, each a 400 that names the parameter and what it
 * takes: limits, provider ids, texts, enum values, instants and durations. A null (the parameter absent) passes.
 */
public final class ListParameters {

    /** The most items a page holds; the default is 100. */
    public static final int MAX_LIMIT = 1000;

    private static final String PROVIDER = "[a-z][a-z0-9-]{0,31}";
    private static final Duration LONGEST = Duration.ofDays(36500);

    private ListParameters() {
    }

    public static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ErrorAnswer.badRequest("'limit' must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    public static String provider(String provider) {
        if (provider != null && !provider.matches(PROVIDER)) {
            throw ErrorAnswer.badRequest("'provider' is not a provider id (" + PROVIDER + ")");
        }
        return provider;
    }

    /** A text matched exactly: 1 to 200 characters, not blank. */
    public static String text(String name, String value) {
        if (value != null && (value.isBlank() || value.length() > 200)) {
            throw ErrorAnswer.badRequest("'" + name + "' must be 1 to 200 characters");
        }
        return value;
    }

    public static String oneOf(String name, String value, Collection<String> values) {
        if (value != null && !values.contains(value)) {
            throw ErrorAnswer.badRequest("'" + name + "' must be one of " + values.stream().sorted().toList());
        }
        return value;
    }

    public static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ErrorAnswer.badRequest("'" + name + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    public static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ErrorAnswer.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    /** A duration longer than zero, at most P36500D. */
    public static Duration duration(String name, String value) {
        if (value == null) {
            return null;
        }
        Duration duration;
        try {
            duration = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw ErrorAnswer.badRequest("'" + name + "' must be an ISO-8601 duration such as PT24H or P2D");
        }
        // Bounded above too: PostgreSQL's intervals (and a duration in milliseconds) overflow long before Duration's.
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
            throw ErrorAnswer.badRequest("'" + name + "' must be longer than zero and at most P36500D");
        }
        return duration;
    }
}
