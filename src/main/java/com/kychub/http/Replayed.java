package com.kychub.http;

/**
 * The answer to replaying one message, action or delivery: its id and the state it is in now, due again
 * ({@code ACCEPTED} for an inbox message, {@code PENDING} for an action or a delivery).
 */
public record Replayed(long id, String state) {
}
