package com.kychub.inbound;

import java.util.UUID;

import org.slf4j.MDC;

/**
 * The MDC keys of every log line a message causes, so that an operator finds them all by one id: {@code messageId}
 * (the inbox message), {@code actionId} (a provider action), {@code provider} and {@code caseId}, next to Camel's own
 * {@code camel.routeId} ({@code camel.main.use-mdc-logging}). Ids only, never personal data. The webhook door and the
 * inbox and action workers set them when they take a message and {@link #clear} them when they are done with it, so
 * that a pooled thread never carries one message's ids into the next.
 */
public final class MessageLogContext {

    public static final String MESSAGE_ID = "messageId";
    public static final String ACTION_ID = "actionId";
    public static final String PROVIDER = "provider";
    public static final String CASE_ID = "caseId";

    private MessageLogContext() {
    }

    public static void message(String provider, long messageId) {
        MDC.put(PROVIDER, provider);
        MDC.put(MESSAGE_ID, Long.toString(messageId));
    }

    public static void action(String provider, long actionId) {
        MDC.put(PROVIDER, provider);
        MDC.put(ACTION_ID, Long.toString(actionId));
    }

    /** The case the message or action is about, once known. */
    public static void caseId(UUID caseId) {
        if (caseId != null) {
            MDC.put(CASE_ID, caseId.toString());
        }
    }

    public static void clear() {
        MDC.remove(MESSAGE_ID);
        MDC.remove(ACTION_ID);
        MDC.remove(PROVIDER);
        MDC.remove(CASE_ID);
    }
}
