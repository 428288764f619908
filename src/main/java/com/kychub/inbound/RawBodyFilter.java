package com.kychub.inbound;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import com.kychub.http.ErrorAnswer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every webhook and API body once, as the exact bytes received. A body over the configured limit is refused
 * with 413 before it is read into memory: at once when Content-Length says so, or as soon as a chunked body passes
 * the limit. A body within the limit is kept in the request attribute {@link #RAW_BODY} (signatures are computed
 * over these bytes, which a servlet reader would have decoded with a guessed charset) and handed on.
 */
public class RawBodyFilter extends OncePerRequestFilter {

    public static final String RAW_BODY = "kyc.rawBody";

    private final long maxBytes;
    private final InboxMetrics metrics;

    public RawBodyFilter(long maxBytes, InboxMetrics metrics) {
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            refuse(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE));
        if (body.length > maxBytes) {
            refuse(request, response);
            return;
        }
        request.setAttribute(RAW_BODY, body);
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getRequestURI().startsWith("/webhooks/")) {
            metrics.rejectedWebhook(request.getRequestURI());
        }
        ErrorAnswer.write(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, overTheLimit(maxBytes));
        // The rest of an oversized body is not worth reading; closing tells the client to stop sending it.
        response.setHeader("Connection", "close");
    }

    /** The 413's detail (the Vert.x doors answer the same). */
    static String overTheLimit(long maxBytes) {
        return "the body is over the limit of " + maxBytes + " bytes";
    }

    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return in.read(buffer, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = getCharacterEncoding() == null
                    ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
