package com.kychub.sandbox;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's "APPLICATION FAILED TO START" report of {@link SandboxSecretsGuard}'s refusal: why, what to do. */
public class SandboxSecretsFailureAnalyzer extends AbstractFailureAnalyzer<SandboxSecretsGuard.RealSecretsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SandboxSecretsGuard.RealSecretsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "To try the hub with its simulators, unset these settings and start it again with the sandbox "
                        + "profile. To use real providers, start it without the sandbox profile.",
                cause);
    }
}
