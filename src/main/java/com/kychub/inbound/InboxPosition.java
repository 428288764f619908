package com.kychub.inbound;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Where a message stands in the order the inbox worker takes them: its due time ({@code next_attempt_at}), then its
 * id, as the index {@code inbound_message_due} keeps them.
 */
public record InboxPosition(OffsetDateTime dueAt, long id) {

    /** Before every message. */
    public static final InboxPosition START = new InboxPosition(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), 0);
}
