package com.kychub.inbound;

/**
 * A webhook the hub refuses at the door, with the HTTP status and the reason the caller gets. Nothing was stored,
 * so nothing is lost: the sender keeps the message and may send it again.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static WebhookRejectedException unauthorized(String reason) {
        return new WebhookRejectedException(401, reason);
    }

    public static WebhookRejectedException badRequest(String reason) {
        return new WebhookRejectedException(400, reason);
    }

    public int status() {
        return status;
    }
}
