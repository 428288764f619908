package com.kychub.ops;

/**
 * The answer to replaying all the FAILED and DEAD inbox messages or actions of a provider: how many were made due
 * again, or, on a dry run, how many would be (a dry run changes nothing).
 */
public record ProviderReplay(String provider, boolean dryRun, int count) {
}
