package com.kychub.inbound;

/** One row of the inbox, as the worker claims it. */
public record InboundMessage(long id, String provider, String channel, String body, int attempts) {
}
