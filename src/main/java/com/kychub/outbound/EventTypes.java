package com.kychub.outbound;

import java.util.List;

/**
 * The canonical outbound event types, version 1: the values of {@code outbound_event_type()} (V16), which picks one
 * per audit event, most telling first. The endpoints' {@code eventTypes} filter takes these, the feed's {@code type}
 * too; the README's "Payload" section says when each is sent.
 */
public final class EventTypes {

    /** A case was opened at a provider (audit event CASE_OPENED). */
    public static final String CASE_OPENED = "kyc.case.opened";
    /** The case now waits on the fintech or the customer: its status became ACTION_REQUIRED, or its next action changed while it is. */
    public static final String CASE_ACTION_REQUIRED = "kyc.case.action_required";
    /** The case's status changed (to anything but ACTION_REQUIRED). */
    public static final String CASE_STATUS_CHANGED = "kyc.case.status_changed";
    /** Only the case's next action changed. */
    public static final String CASE_NEXT_ACTION_CHANGED = "kyc.case.next_action_changed";
    /** Something else about the case was recorded (a check, a detail) with no change of status or next action. */
    public static final String CASE_UPDATED = "kyc.case.updated";
    /** The provider deleted the case's data and the hub erased its copy (ARGOS's {@code delete}). */
    public static final String CASE_DATA_ERASED = "kyc.case.data_erased";
    /** The customer's personal data was erased ({@code DELETE /api/v1/customers/{id}/personal-data}). */
    public static final String CUSTOMER_ERASED = "kyc.customer.erased";

    public static final List<String> ALL = List.of(CASE_OPENED, CASE_ACTION_REQUIRED, CASE_STATUS_CHANGED,
            CASE_NEXT_ACTION_CHANGED, CASE_UPDATED, CASE_DATA_ERASED, CUSTOMER_ERASED);

    /** The providers an endpoint's {@code providers} filter (and the feed's {@code provider}) may name. */
    public static final List<String> PROVIDERS = List.of("argos", "connectfi", "ondato", "striga", "width");

    private EventTypes() {
    }
}
