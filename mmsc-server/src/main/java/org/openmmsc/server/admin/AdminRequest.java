package org.openmmsc.server.admin;

import java.util.Objects;

/**
 * One HTTP request as the admin API sees it, detached from Netty's buffers so it can be handled
 * on a worker thread after the event loop has released them.
 *
 * @param contentType   the Content-Type header, or null
 * @param authorization the Authorization header, or null
 */
public record AdminRequest(String method, String uri, String contentType, String authorization, byte[] body) {
    public AdminRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        body = body == null ? new byte[0] : body;
    }
}
