package com.kychub.outbound;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbound events ({@code kyc.events.*}): where the hub may send them and how hard it tries.
 *
 * @param allowHttp         endpoints may be {@code http://} URLs (the sandbox and the tests); otherwise {@code https} only
 * @param timeout           an answer later than this is a failed attempt
 * @param retrySchedule     the wait before each attempt after the first failed one; past the last, the delivery is DEAD
 * @param disableAfter      an endpoint whose attempts have all failed for this long is disabled (reason FAILING)
 * @param secretGrace       after a secret rotation, how long the previous secret still signs beside the new one
 * @param dispatchPeriod    how often an idle dispatcher looks for due deliveries
 * @param batchSize         deliveries claimed at a time
 * @param threads           deliveries in flight at once, all endpoints together
 * @param endpointThreads   deliveries in flight at once to one endpoint: a slow endpoint delays only itself
 * @param lease             how long a claimed delivery is kept from other instances; past it (the instance died), it is
 *                          claimed again and re-delivered with the same webhook-id
 * @param rabbitmqUri       the broker option: {@code amqp://user:password@host:5672/vhost}; empty, no broker
 * @param rabbitmqExchange  the topic exchange events are published to
 */
@ConfigurationProperties(prefix = "kyc.events")
public record EventsProperties(
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue("15s") Duration timeout,
        @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retrySchedule,
        @DefaultValue("P5D") Duration disableAfter,
        @DefaultValue("P1D") Duration secretGrace,
        @DefaultValue("100ms") Duration dispatchPeriod,
        @DefaultValue("200") int batchSize,
        @DefaultValue("32") int threads,
        @DefaultValue("8") int endpointThreads,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("") String rabbitmqUri,
        @DefaultValue("kyc.events") String rabbitmqExchange) {
}
