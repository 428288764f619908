package com.kychub.scheduling;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Hub instances sharing one database ({@code kyc.cluster.*}) form one Quartz cluster (same database, same
 * {@code camel.main.name}): each poller firing runs on one of them. Each instance checks in every
 * {@code checkin-interval}; one that has missed its check-in by that much plus Quartz's fixed 7.5 s is taken for dead,
 * and the others release the triggers it held.
 */
@ConfigurationProperties(prefix = "kyc.cluster")
public record ClusterProperties(@DefaultValue("1s") Duration checkinInterval) {
}
