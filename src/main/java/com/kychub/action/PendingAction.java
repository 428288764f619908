package com.kychub.action;

import java.util.UUID;

/** One row of provider_action, as the action worker claims it. */
public record PendingAction(long id, String provider, UUID caseId, String customerId, String kind, String action,
                            String payload, int attempts) {
}
