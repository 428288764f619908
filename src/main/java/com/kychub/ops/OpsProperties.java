package com.kychub.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What operators watch ({@code kyc.ops.*}): a case not finished and unchanged for {@code stalled-after} is stalled
 * (the gauge {@code kyc.cases.stalled}, counted every {@code stalled-refresh}; the default of
 * {@code GET /api/v1/ops/cases?stalledFor=}).
 */
@ConfigurationProperties(prefix = "kyc.ops")
public record OpsProperties(
        @DefaultValue("P1D") Duration stalledAfter,
        @DefaultValue("1m") Duration stalledRefresh) {
}
