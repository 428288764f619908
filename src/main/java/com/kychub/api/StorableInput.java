package com.kychub.api;

import java.beans.PropertyEditorSupport;
import java.lang.reflect.Type;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.StorableJson;
import com.kychub.http.ErrorAnswer;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * The hub API refuses, with 400, any request body, query parameter or path variable carrying text the store cannot
 * keep ({@link StorableJson}: U+0000, an unpaired surrogate), before a controller hands it to PostgreSQL, which
 * would fail the statement (a 500) or, for a surrogate, store a '?' in its place.
 */
@ControllerAdvice(basePackages = "com.kychub")
public class StorableInput extends RequestBodyAdviceAdapter {

    private final ObjectMapper json;

    public StorableInput(ObjectMapper json) {
        this.json = json;
    }

    /** Query parameters and path variables bound to a String; a refusal is a 400 naming the parameter. */
    @InitBinder
    void storableText(WebDataBinder binder) {
        binder.registerCustomEditor(String.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                if (text != null && !StorableJson.isStorable(text)) {
                    throw new IllegalArgumentException("not storable text");
                }
                setValue(text);
            }
        });
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter,
                                Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        if (!StorableJson.isStorable(json.valueToTree(body))) {
            throw ErrorAnswer.badRequest(StorableJson.REASON);
        }
        return body;
    }
}
