package com.kychub.canonical;

/**
 * A provider message the hub cannot translate without guessing: an unknown status, a missing field that
 * decides the outcome. It is never retried; the message stays in the inbox as FAILED until a fix and a replay.
 */
public class UnmappableMessageException extends RuntimeException {
    public UnmappableMessageException(String message) {
        super(message);
    }
}
