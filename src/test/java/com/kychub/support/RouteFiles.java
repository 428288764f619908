package com.kychub.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Some of the hub's YAML route files in a Camel context of their own, without Spring and without the store: for
 * routes that call nothing but pure mapping code ({@code beanType} steps), so that every branch of a content-based
 * router can be tested in milliseconds. Closes the context when closed.
 */
public final class RouteFiles implements AutoCloseable {

    private final CamelContext camel;
    private final ProducerTemplate producer;

    private RouteFiles(CamelContext camel) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    /** Loads and starts {@code routes/<name>.camel.yaml} for each name. */
    public static RouteFiles start(String... names) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        for (String name : names) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "classpath:routes/" + name + ".camel.yaml"));
        }
        camel.start();
        return new RouteFiles(camel);
    }

    public CamelContext camel() {
        return camel;
    }

    /** Sends the body to the endpoint and answers what the route answers; a route's exception is thrown as is. */
    public <T> T request(String endpoint, Object body, Class<T> answer) {
        Exchange exchange = producer.request(endpoint, e -> e.getIn().setBody(body));
        if (exchange.getException() instanceof RuntimeException failure) {
            throw failure;
        }
        if (exchange.getException() != null) {
            throw new IllegalStateException(exchange.getException());
        }
        return exchange.getMessage().getBody(answer);
    }

    @Override
    public void close() {
        camel.stop();
    }
}
