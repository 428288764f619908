package com.kychub.inbound;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.apache.camel.component.servlet.ServletComponent;
import org.apache.camel.component.servlet.ServletConsumer;
import org.apache.camel.component.servlet.ServletEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The webhook doors on the hub's port (the default, {@code kyc.webhooks.engine=servlet}): every platform-http route is
 * served by Camel's servlet ({@link CamelHttpTransportServlet}), mapped at {@code /webhooks/*} in Tomcat, on the
 * request's own thread. platform-http's Spring Boot engine would route each webhook through Spring MVC's dispatcher,
 * hand it to Spring's task pool and dispatch it back (an asynchronous dispatch through the filters again): about a
 * third of the CPU of a webhook ({@code bench/profile.sh}, bench/README.md). The servlet filters (raw body, readiness,
 * content type, Spring Security) run as before; what Camel's servlet refuses itself (no door at this path, another
 * method than POST) goes to the container's error page, {@code api.HttpErrorController}, and is answered as a problem.
 * The same idea as camel-spring-boot's {@code ServletPlatformHttpEngine} of later Camel versions.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kyc.webhooks.engine", havingValue = "servlet", matchIfMissing = true)
public class ServletWebhookDoors {

    /** Where Tomcat maps Camel's servlet; every platform-http route's path is under it. */
    static final String DOORS = "/webhooks";

    private static final String SERVLET_NAME = "WebhookDoors";

    @Bean
    public ServletRegistrationBean<CamelHttpTransportServlet> webhookDoorsServlet() {
        ServletRegistrationBean<CamelHttpTransportServlet> registration =
                new ServletRegistrationBean<>(new CamelHttpTransportServlet(), DOORS + "/*");
        registration.setName(SERVLET_NAME);
        // Registered with Camel at start-up, not at the first webhook.
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean("platform-http-engine")
    public PlatformHttpEngine servletWebhookEngine(CamelContext camel, @Value("${server.port:8080}") int port) {
        return new PlatformHttpEngine() {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                return new ServletDoor(endpoint, processor, camel);
            }

            @Override
            public int getServerPort() {
                return port;
            }
        };
    }

    /**
     * A platform-http route's consumer, which is Camel's servlet consumer for the route's path under {@link #DOORS}
     * (the servlet matches a request by its path below the servlet's mapping).
     */
    static final class ServletDoor extends ServiceSupport implements PlatformHttpConsumer {

        private final PlatformHttpEndpoint endpoint;
        private final ServletConsumer servlet;

        ServletDoor(PlatformHttpEndpoint endpoint, Processor processor, CamelContext camel) {
            String path = endpoint.getPath();
            if (!path.startsWith(DOORS + "/")) {
                throw new IllegalArgumentException("a webhook door's path is under " + DOORS + "/: " + path);
            }
            ServletComponent servlets = camel.getComponent("servlet", ServletComponent.class);
            servlets.setServletName(SERVLET_NAME);
            String uri = "servlet:" + path.substring(DOORS.length())
                    + (endpoint.getHttpMethodRestrict() == null ? ""
                    : "?httpMethodRestrict=" + endpoint.getHttpMethodRestrict());
            this.endpoint = endpoint;
            this.servlet = new ServletConsumer((ServletEndpoint) camel.getEndpoint(uri), processor);
        }

        @Override
        public PlatformHttpEndpoint getEndpoint() {
            return endpoint;
        }

        @Override
        public Processor getProcessor() {
            return servlet.getProcessor();
        }

        @Override
        public Exchange createExchange(boolean autoRelease) {
            return servlet.createExchange(autoRelease);
        }

        @Override
        public void releaseExchange(Exchange exchange, boolean autoRelease) {
            servlet.releaseExchange(exchange, autoRelease);
        }

        @Override
        public AsyncCallback defaultConsumerCallback(Exchange exchange, boolean autoRelease) {
            return servlet.defaultConsumerCallback(exchange, autoRelease);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(servlet);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(servlet);
        }
    }
}
