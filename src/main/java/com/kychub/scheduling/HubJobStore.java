package com.kychub.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.quartz.SchedulerConfigException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Quartz's JDBC job store on the hub's own DataSource. Quartz finds a job store's connections in a JVM-wide registry
 * by name, and Spring's {@code LocalDataSourceJobStore} names them after the scheduler: two hubs in one JVM with the
 * same scheduler name (tests) would both end up on the pool registered last, even across databases, and on a closed
 * one once that hub stops. This store registers its DataSource under a name of its own.
 */
public class HubJobStore extends JobStoreTX {

    private static final AtomicInteger STORES = new AtomicInteger();

    @Override
    public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler signaler) throws SchedulerConfigException {
        // Spring's SchedulerFactoryBean hands over spring.quartz's DataSource to the store it is building this way.
        DataSource dataSource = SchedulerFactoryBean.getConfigTimeDataSource();
        if (dataSource == null) {
            throw new SchedulerConfigException("HubJobStore needs spring.quartz.job-store-type=jdbc");
        }
        String name = "kyc-hub-quartz-" + STORES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(name, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // The pool is the hub's: it closes with the application context.
            }

            @Override
            public void initialize() {
            }
        });
        setDataSource(name);
        super.initialize(loadHelper, signaler);
    }
}
