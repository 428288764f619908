package com.kychub.sandbox;

import java.util.Locale;

/**
 * What a sandbox provider decides for a customer, read from a word in the customer's id or email:
 * {@code reject-final}, {@code reject}, {@code expire}, {@code error}; anything else is approved.
 */
public enum Outcome {
    APPROVE, REJECT, REJECT_FINAL, EXPIRE, ERROR;

    public static Outcome of(String... texts) {
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            String word = text.toLowerCase(Locale.ROOT).replace('_', '-');
            if (word.contains("reject-final")) {
                return REJECT_FINAL;
            }
            if (word.contains("reject")) {
                return REJECT;
            }
            if (word.contains("expire")) {
                return EXPIRE;
            }
            if (word.contains("error")) {
                return ERROR;
            }
        }
        return APPROVE;
    }
}
