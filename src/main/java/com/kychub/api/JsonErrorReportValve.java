package com.kychub.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

import com.kychub.http.ErrorAnswer;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat refuses some requests before the hub sees them (a malformed request line, header or chunk; a URI it will not
 * decode, such as an encoded slash or an invalid %-escape; TRACE); its own error report is an HTML page, or nothing.
 * This one writes a problem ({@link ErrorAnswer}, RFC 9457) instead, with Tomcat's reason as its detail. Installed
 * on the host by {@code HttpFilterConfiguration}.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    /**
     * A request Tomcat refused before the pipeline (TRACE, an invalid URI) would otherwise be forwarded to the
     * application's error page, where the servlet answers TRACE with an empty body: it is reported here at once.
     */
    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (response.isErrorReportRequired()) {
            // sendError suspended the response; the report is what it is for.
            response.setSuspended(false);
            report(request, response, null);
            return;
        }
        super.invoke(request, response);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String detail = response.getMessage() != null && !response.getMessage().isBlank() ? response.getMessage()
                : status == 400 ? "the request is not valid HTTP (request line, URI, headers or chunking)"
                : null;
        ProblemDetail problem = ErrorAnswer.of(status, detail, request.getRequestURI());
        if (detail == null) {
            problem.setDetail(problem.getTitle());
        }
        try {
            response.setContentType(ErrorAnswer.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ErrorAnswer.json(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot be written any more: nothing left to tell.
        }
    }
}
