package com.kychub.canonical;

import java.util.Map;

/** One named check of a case (a provider's check type, a workflow node, an AML screening). */
public record CheckResult(String name, boolean passed, boolean required, Map<String, Object> detail) {
    public CheckResult {
        detail = detail == null ? Map.of() : detail;
    }
}
