package com.kychub.canonical;

import java.util.regex.Pattern;

/**
 * A value from outside (a provider's status or event type, an id, an exception's message) as the hub quotes it in an
 * error, which reaches the logs and {@code last_error}: control characters removed (CR and LF, which would forge log
 * lines; tabs, terminal escapes, Unicode line separators and direction overrides) and cut to a bounded length, so that
 * a provider sending a whole record where a word was expected does not copy it into the log.
 */
public final class Quote {

    /** Long enough for any status, type or id a provider documents. */
    public static final int MAX_LENGTH = 64;

    /** Control (Cc) and format (Cf) characters, line and paragraph separators. */
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

    private Quote() {
    }

    /** The value in single quotes, cleaned and cut to {@value #MAX_LENGTH} characters; {@code null} unquoted. */
    public static String of(Object value) {
        return value == null ? "null" : "'" + text(String.valueOf(value), MAX_LENGTH) + "'";
    }

    /** The text cleaned and cut to {@code maxLength} characters (code points), "..." marking a cut; null as "". */
    public static String text(String value, int maxLength) {
        if (value == null) {
            return "";
        }
        String clean = UNPRINTABLE.matcher(value).replaceAll("");
        if (clean.codePointCount(0, clean.length()) <= maxLength) {
            return clean;
        }
        return clean.substring(0, clean.offsetByCodePoints(0, maxLength)) + "...";
    }
}
