package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/**
 * Camel's Vert.x server only logs a port it cannot bind, and the hub would run without the doors the providers are
 * sent to: the start stops first, saying which setting to change.
 */
class VertxWebhookDoorsTest {

    @Test
    void aPortAnotherProcessHoldsStopsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> VertxWebhookDoors.refuseATakenPort("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("KYC_WEBHOOKS_VERTX_PORT");
        }
    }

    @Test
    void aFreePortIsLeftFreeForVertx() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        assertThatCode(() -> VertxWebhookDoors.refuseATakenPort("127.0.0.1", port)).doesNotThrowAnyException();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            // bound: the probe let it go
        }
    }
}
