package com.kychub.canonical;

import java.time.Instant;

/** One entry of a case's audit trail. */
public record EventView(
        String type,
        CaseStatus fromStatus,
        CaseStatus toStatus,
        NextAction fromNextAction,
        NextAction toNextAction,
        String providerEvent,
        Long inboundMessageId,
        Instant occurredAt) {
}
