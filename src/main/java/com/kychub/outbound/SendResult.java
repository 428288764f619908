package com.kychub.outbound;

/**
 * How one attempt went.
 *
 * @param delivered  the receiver took it (2xx) or the broker confirmed it
 * @param gone       the receiver answered {@code 410 Gone}: the endpoint is to be disabled
 * @param status     the HTTP status, null when none came (timeout, refused connection, broker)
 * @param latencyMillis from the start of the attempt to its answer
 * @param error      a short code when not delivered ({@code HTTP_503}, {@code TIMEOUT}, {@code CONNECT}, {@code NACK}),
 *                   never the receiver's answer body
 */
public record SendResult(boolean delivered, boolean gone, Integer status, long latencyMillis, String error) {

    public static SendResult delivered(Integer status, long latencyMillis) {
        return new SendResult(true, false, status, latencyMillis, null);
    }

    public static SendResult failed(Integer status, long latencyMillis, String error) {
        return new SendResult(false, status != null && status == 410, status, latencyMillis, error);
    }
}
