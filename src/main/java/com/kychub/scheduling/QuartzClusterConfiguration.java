package com.kychub.scheduling;

import java.util.Properties;

import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.springframework.boot.autoconfigure.quartz.QuartzProperties;
import org.springframework.boot.autoconfigure.quartz.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Quartz scheduler of the pollers ({@code width-poll-executions}, {@code connectfi-poll-status}). Spring Boot
 * builds it ({@code spring.quartz.*} in application.yml): a JDBC job store on the hub's DataSource, its tables made by
 * Flyway (V7), clustered. Camel's quartz component runs its routes' jobs on it and starts it once it has put its
 * CamelContext in it; Spring puts it in standby before Camel stops, and shuts it down after.
 * <p>
 * Instances on one database with one {@code camel.main.name} (the scheduler name follows it) form one cluster: each
 * firing runs on exactly one of them, and a trigger held by an instance that dies is taken over by the others after
 * {@code kyc.cluster.checkin-interval} plus Quartz's fixed 7.5 s. Camel's jobs find their CamelContext by name, and
 * the one a cluster stores is that of the instance that scheduled it first: hence one Camel name per cluster.
 */
@Configuration(proxyBeanMethods = false)
public class QuartzClusterConfiguration {

    @Bean
    SchedulerFactoryBeanCustomizer hubJobStore(QuartzProperties quartz, ClusterProperties cluster) {
        return factory -> {
            Properties settings = new Properties();
            settings.putAll(quartz.getProperties());
            settings.put("org.quartz.jobStore.class", HubJobStore.class.getName());
            settings.put("org.quartz.jobStore.clusterCheckinInterval",
                    Long.toString(cluster.checkinInterval().toMillis()));
            factory.setQuartzProperties(settings);
        };
    }

    /** The {@code quartz:} component, on Spring's scheduler rather than one of its own. */
    @Bean("quartz")
    QuartzComponent quartz(Scheduler scheduler) {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setScheduler(scheduler);
        return quartz;
    }
}
