package org.openmmsc.server.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.openmmsc.core.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps admin API requests to answers: paths and methods, the bearer token on /api/**, the body
 * format of an injection, and every failure to a JSON status. Knows nothing of sockets; the Netty
 * handler calls {@link #handle} on a worker thread (or on the event loop for
 * {@link #answersWithoutBlocking} paths).
 */
public final class AdminRouter {
    private static final Logger log = LoggerFactory.getLogger(AdminRouter.class);
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String MESSAGES = "/api/messages";

    private final MessageService messages;
    private final MessageRequestParser parser;
    private final MessageJson json;
    private final PrometheusMeterRegistry prometheus;
    private final BooleanSupplier ready;
    /** SHA-256 of the configured token, or null when /api/** is open. */
    private final byte[] tokenDigest;

    public AdminRouter(MessageService messages, MessageRequestParser parser, MessageJson json,
                       PrometheusMeterRegistry prometheus, BooleanSupplier ready, String bearerToken) {
        this.messages = messages;
        this.parser = parser;
        this.json = json;
        this.prometheus = prometheus;
        this.ready = ready;
        this.tokenDigest = bearerToken == null ? null : sha256(bearerToken);
    }

    /** Liveness must answer even when every worker is busy, and it touches nothing that blocks. */
    public boolean answersWithoutBlocking(AdminRequest request) {
        return "/health".equals(path(request.uri()));
    }

    /** The answer to one request. Never completes exceptionally: every failure becomes a JSON status. */
    public CompletableFuture<ApiResponse> handle(AdminRequest request) {
        String path = path(request.uri());
        CompletableFuture<ApiResponse> answer;
        try {
            answer = route(request, path);
        } catch (BadRequestException e) {
            answer = CompletableFuture.completedFuture(ApiResponse.json(400, json.error(e.reason(), e.field())));
        } catch (StoreException e) {
            log.error("{} {} failed, store unavailable: {}", request.method(), path, e.toString());
            answer = CompletableFuture.completedFuture(
                    ApiResponse.json(503, json.error("store unavailable", null)).withHeader("Retry-After", "1"));
        } catch (RuntimeException e) {
            log.error("{} {} failed: {}", request.method(), path, e.toString());
            answer = CompletableFuture.completedFuture(internalError());
        }
        return answer.exceptionally(e -> {
            log.error("{} {} failed: {}", request.method(), path, e.toString());
            return internalError();
        }).thenApply(response -> {
            logClientError(request, path, response);
            return response;
        });
    }

    private CompletableFuture<ApiResponse> route(AdminRequest request, String path) {
        String method = request.method().toUpperCase(Locale.ROOT);
        switch (path) {
            case "/health":
                if (!method.equals("GET")) return done(methodNotAllowed("GET"));
                return done(ApiResponse.json(200, json.status("UP")));
            case "/ready":
                if (!method.equals("GET")) return done(methodNotAllowed("GET"));
                return done(ready.getAsBoolean() ? ApiResponse.json(200, json.status("READY")) : ApiResponse.json(503, json.status("NOT_READY")));
            case "/metrics":
                if (!method.equals("GET")) return done(methodNotAllowed("GET"));
                return done(ApiResponse.text(200, METRICS_CONTENT_TYPE, prometheus.scrape()));
            default:
                break;
        }
        if (!path.equals("/api") && !path.startsWith("/api/")) return done(notFound());
        if (!authorized(request.authorization())) {
            return done(ApiResponse.json(401, json.error("missing or wrong bearer token", null)).withHeader("WWW-Authenticate", "Bearer"));
        }
        if (path.equals(MESSAGES)) {
            return switch (method) {
                case "POST" -> inject(request);
                case "GET" -> {
                    QueryStringDecoder query = new QueryStringDecoder(request.uri());
                    yield done(messages.list(parameter(query, "after"), parameter(query, "limit")));
                }
                default -> done(methodNotAllowed("GET, POST"));
            };
        }
        if (path.startsWith(MESSAGES + "/") && path.indexOf('/', MESSAGES.length() + 1) < 0 && path.length() > MESSAGES.length() + 1) {
            if (!method.equals("GET")) return done(methodNotAllowed("GET"));
            return done(messages.trace(path.substring(MESSAGES.length() + 1)));
        }
        return done(notFound());
    }

    private CompletableFuture<ApiResponse> inject(AdminRequest request) {
        String type = request.contentType() == null ? "" : request.contentType().toLowerCase(Locale.ROOT);
        MessageRequest parsed;
        if (type.startsWith("application/json") || type.matches("application/[a-z0-9.+-]+\\+json.*")) {
            parsed = parser.parseJson(request.body());
        } else if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
            parsed = parser.parseForm(FormDataDecoder.decode(request.contentType(), request.body()));
        } else {
            return done(ApiResponse.json(415, json.error("Content-Type must be application/json or multipart/form-data, got '"
                    + (request.contentType() == null ? "" : request.contentType()) + "'", null)));
        }
        return messages.inject(parsed);
    }

    /** Compares digests so the time taken does not reveal how much of the token matched, nor its length. */
    private boolean authorized(String header) {
        if (tokenDigest == null) return true;
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).strip()));
    }

    private void logClientError(AdminRequest request, String path, ApiResponse response) {
        if (response.status() < 400 || response.status() >= 500) return;
        log.warn("{} {} -> {} {}", request.method(), path, response.status(), response.bodyText());
    }

    private ApiResponse notFound() {
        return ApiResponse.json(404, json.error("no such resource", null));
    }

    private ApiResponse methodNotAllowed(String allow) {
        return ApiResponse.json(405, json.error("method not allowed; allowed: " + allow, null)).withHeader("Allow", allow);
    }

    private ApiResponse internalError() {
        return ApiResponse.json(500, json.error("internal error", null));
    }

    private static String parameter(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    static String path(String uri) {
        return new QueryStringDecoder(uri).path();
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
