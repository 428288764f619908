package com.kychub.scheduling;

import org.apache.camel.spi.PropertiesFunction;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code {{millis:some.setting}}} in a route: the setting, a duration as Spring Boot reads one ({@code 15m},
 * {@code PT15M}, {@code 900000}), in milliseconds. Quartz's {@code trigger.repeatInterval} takes milliseconds while
 * the hub's settings are durations; Camel finds this function by its name
 * ({@code META-INF/services/org/apache/camel/properties-function/millis}).
 */
public class MillisPropertiesFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "millis";
    }

    /** The remainder is a setting's name: Camel reads the setting and hands its value to {@link #apply}. */
    @Override
    public boolean lookupFirst(String remainder) {
        return true;
    }

    @Override
    public String apply(String duration) {
        return Long.toString(DurationStyle.detectAndParse(duration.trim()).toMillis());
    }
}
