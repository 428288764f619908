package com.kychub.inbound;

/**
 * One row of the inbox, as the worker claims it.
 *
 * @param messageType what the body is: {@code webhook}, or the name of a poll answer or action answer
 * @param subject     what the message is about at the provider when the body does not say (the customer a
 *                    status answer belongs to, ...)
 * @param position    where it stood among the due messages when it was claimed
 */
public record InboundMessage(long id, String provider, String channel, String messageType, String subject,
                             String body, int attempts, InboxPosition position) {
}
