package com.kychub.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sandbox providers ({@code kyc.sandbox.*}, off by default): how long a simulated provider takes for a step the
 * customer does ({@code step-*}: SDK flow, document capture), for WIDTH's OCR of an identity document
 * ({@code ocr-*}, 5 to 15 s as WIDTH says) and for its own review ({@code review-*}), and how often it delivers a
 * webhook twice or re-delivers an earlier one late, as the real providers do, or loses it ({@code drop-probability}:
 * the hub must then find out from the provider's status API).
 */
@ConfigurationProperties(prefix = "kyc.sandbox")
public record SandboxProperties(
        boolean enabled,
        // each delay is drawn from a range: one range a line, its min then its max
        @DefaultValue("5s") Duration stepMinDelay, @DefaultValue("15s") Duration stepMaxDelay,
        @DefaultValue("5s") Duration reviewMinDelay, @DefaultValue("15s") Duration reviewMaxDelay,
        @DefaultValue("5s") Duration ocrMinDelay, @DefaultValue("15s") Duration ocrMaxDelay,
        @DefaultValue("0.1") double duplicateProbability,
        @DefaultValue("0.1") double lateProbability,
        @DefaultValue("0") double dropProbability) {
}
