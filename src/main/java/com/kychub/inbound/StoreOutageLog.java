package com.kychub.inbound;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * While the store is down every worker fails on every tick; this says so once per worker when it starts and once
 * when it is over, instead of a stack trace per tick. The workers go on trying by themselves.
 */
@Component
public class StoreOutageLog {

    private static final Logger log = LoggerFactory.getLogger(StoreOutageLog.class);

    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public void lost(String worker, Exception cause) {
        if (failing.add(worker)) {
            log.warn("{} cannot reach the store and tries again every tick: {}", worker, Failures.describe(cause));
        }
    }

    public void reached(String worker) {
        if (failing.remove(worker)) {
            log.info("{} reaches the store again", worker);
        }
    }
}
