package com.kychub.scheduling;

import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Quartz jobs no route runs any more, deleted from the clustered job store at start-up: the store keeps a job across
 * restarts and versions, and one without its route would still fire at every tick, on the cluster's locks, for nothing.
 * {@code width/poll-executions} was WIDTH's poller before it became a continuous one ({@code width-poll-executions}).
 */
@Component
public class RetiredJobs {

    static final JobKey WIDTH_POLL_ROUNDS = JobKey.jobKey("poll-executions", "width");

    private static final Logger LOG = LoggerFactory.getLogger(RetiredJobs.class);

    private final Scheduler scheduler;

    public RetiredJobs(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void delete() throws SchedulerException {
        if (scheduler.deleteJob(WIDTH_POLL_ROUNDS)) {
            LOG.info("Deleted the retired Quartz job {}", WIDTH_POLL_ROUNDS);
        }
    }
}
