package com.kychub.canonical;

import java.time.Instant;

/**
 * One entry of a case's audit trail, with what caused it: the raw inbound message ({@code inboundMessageId}) or the
 * provider action whose failure it records ({@code actionId}), each null when it was not that.
 *
 * @param id the event's own id ({@code kyc_event}), the order of the trail
 */
public record EventView(
        long id,
        String type,
        CaseStatus fromStatus,
        CaseStatus toStatus,
        NextAction fromNextAction,
        NextAction toNextAction,
        String providerEvent,
        Long inboundMessageId,
        Long actionId,
        Instant occurredAt) {
}
