package com.kychub.canonical;

/** What has to happen next for a case to move on, the same for every provider. */
public enum NextAction {
    NONE,
    START_KYC,
    /** The customer finishes the provider's hosted flow (SDK link, IDV URL). */
    COMPLETE_VERIFICATION,
    PROVIDE_PERSONAL_DATA,
    PROVIDE_DOCUMENT,
    PROVIDE_LIVENESS,
    PROVIDE_OTP,
    PROVIDE_FORM,
    UPDATE_PROFILE,
    RESTART_KYC,
    WAIT,
    CONTACT_SUPPORT
}
